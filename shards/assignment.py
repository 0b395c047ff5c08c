"""Which live shard server owns each partition: a pure function of the partition count and the
set of member ids, so every process that sees the same members computes the same map.

Each member ranks all partitions in its own pseudo-random order (`Preference`, keyed by the
FNV-1a 64 hash of its id), and each member may own the floor or the ceiling of P/K partitions
(`capacities`). Partitions are then handed out by rank: in round r, every member that still has
room looks at the partition it ranks r-th and claims it if no one has yet. The result is the
stable matching for those preferences: a member that ranks a partition ahead of its owner (or
ties with it and comes earlier in the turn order) was already full when it got there. A member
that joins takes about P/(K + 1) partitions, mostly ones it ranks at the top, and the others
keep most of theirs; docs/partitions.md gives the exact definition and the measured movement.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from shards.partitioning import MASK, fnv1a64

GOLDEN_GAMMA = 0x9E3779B97F4A7C15


def splitmix64(state: int) -> tuple[int, int]:
    """One SplitMix64 step: (next state, 64-bit output)."""
    state = (state + GOLDEN_GAMMA) & MASK
    z = state
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
    return state, z ^ (z >> 31)


def member_hash(member: str) -> int:
    """FNV-1a 64 of the member id's UTF-8 bytes: its turn order and its preference key."""
    return fnv1a64(member.encode())


@dataclass(frozen=True, slots=True)
class Preference:
    """A member's order over the partitions; iterating gives the partition it ranks 0th, 1st, ...

    The order is a keyed bijection of the b-bit numbers (2**b >= P): two rounds of an odd
    multiplier plus a constant followed by an xor-shift, each invertible modulo 2**b. Ranks
    that land at P or above are mapped again until they fall below P (cycle walking), which
    keeps it a bijection of 0..P-1 for any P, not only powers of two.
    """

    partitions: int
    mask: int
    shift: int
    mul1: int
    add1: int
    mul2: int
    add2: int

    @classmethod
    def of(cls, member: str, partitions: int) -> Preference:
        """The preference order of `member` over `partitions` partitions."""
        if partitions < 1:
            raise ValueError(f"partitions must be at least 1, not {partitions}")
        bits = max(1, (partitions - 1).bit_length())
        mask = (1 << bits) - 1
        state = member_hash(member)
        words = []
        for _ in range(4):
            state, word = splitmix64(state)
            words.append(word)
        return cls(
            partitions=partitions,
            mask=mask,
            shift=(bits + 1) // 2,
            mul1=(words[0] | 1) & mask,
            add1=words[1] & mask,
            mul2=(words[2] | 1) & mask,
            add2=words[3] & mask,
        )

    def __iter__(self) -> Iterator[int]:
        """Every partition once, most preferred first."""
        # Locals rather than attributes: this loop is most of assign()'s time.
        size, mask, shift = self.partitions, self.mask, self.shift
        mul1, add1, mul2, add2 = self.mul1, self.add1, self.mul2, self.add2
        for rank in range(size):
            x = rank
            while True:
                x = (x * mul1 + add1) & mask
                x ^= x >> shift
                x = (x * mul2 + add2) & mask
                x ^= x >> shift
                if x < size:
                    yield x
                    break


def turn_order(members: Sequence[str]) -> list[str]:
    """Distinct member ids ordered by (FNV-1a 64 of the id, id): who goes first in each round."""
    return sorted(set(members), key=lambda m: (member_hash(m), m))


def capacities(partitions: int, members: Sequence[str]) -> dict[str, int]:
    """How many partitions each member owns: floor(P/K), plus one for the first P mod K in turn
    order."""
    ordered = turn_order(members)
    if not ordered:
        return {}
    base, extra = divmod(partitions, len(ordered))
    return {m: base + (i < extra) for i, m in enumerate(ordered)}


def assign(partitions: int, members: Sequence[str]) -> dict[int, str]:
    """partition → member id, the same in every process that sees the same set of members."""
    if partitions < 1:
        raise ValueError(f"partitions must be at least 1, not {partitions}")
    caps = capacities(partitions, members)
    # Members with no room at all (more members than partitions) never take a turn.
    active = [(m, iter(Preference.of(m, partitions)), cap) for m, cap in caps.items() if cap > 0]
    owner: dict[int, str] = {}
    held = dict.fromkeys(caps, 0)
    # Every member still active has room, and together they have exactly the room left, so
    # a free partition remains while any member is active; each active member meets every
    # partition within P ranks, so this ends by rank P.
    while active:
        # One round: every member with room looks at its next partition (rank r in round r).
        for member, preference, _ in active:
            partition = next(preference)
            if partition not in owner:
                owner[partition] = member
                held[member] += 1
        active = [entry for entry in active if held[entry[0]] < entry[2]]
    return owner
