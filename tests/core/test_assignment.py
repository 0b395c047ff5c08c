"""Partitions are assigned to live shard servers by a pure function of the member set: the same
map in every process, each member owning floor or ceil of P/K partitions, and little movement
when a member joins or leaves.

The vectors below pin the algorithm down: any change to how members rank partitions, who takes
turns first or who gets the extra partition fails them. A port to another language must
reproduce them. Running this module prints the balance and movement table of docs/partitions.md:

    .venv/bin/python -m tests.test_assignment
"""

from __future__ import annotations

import json
import os
import random
import statistics
import subprocess
import sys
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

import pytest

from shards.assignment import (
    Preference,
    assign,
    capacities,
    member_hash,
    splitmix64,
    turn_order,
)

P = 1024


def member_ids(rng: random.Random, count: int) -> list[str]:
    """Ids shaped like a shard server's (`shard-` and 12 hex digits)."""
    return [f"shard-{rng.getrandbits(48):012x}" for _ in range(count)]


def loads(owner: dict[int, str]) -> Counter[str]:
    return Counter(owner.values())


def moved(before: dict[int, str], after: dict[int, str]) -> int:
    return sum(before[p] != after[p] for p in before)


@dataclass(frozen=True)
class Figures:
    """Balance and movement for K members over many random member sets."""

    k: int
    worst_ratio: float  # max/min partitions per member, worst over the sets
    spread: int  # max - min partitions per member, worst over the sets
    add_mean: float  # partitions moved when a (K + 1)th member joins
    add_max: int
    remove_mean: float  # partitions moved when one of the K leaves
    remove_extra_mean: float  # of those, partitions the leaving member did not own
    remove_extra_max: int


@cache  # the balance and movement tests share one measurement for each (P, K)
def measure(partitions: int, k: int, seeds: Sequence[int]) -> Figures:
    ratios, spreads, adds, removes, extras = [], [], [], [], []
    for seed in seeds:
        rng = random.Random(f"{partitions}/{k}/{seed}")
        members = member_ids(rng, k)
        before = assign(partitions, members)
        counts = loads(before).values()
        ratios.append(max(counts) / min(counts))
        spreads.append(max(counts) - min(counts))
        adds.append(moved(before, assign(partitions, [*members, *member_ids(rng, 1)])))
        leaving = rng.choice(members)
        after = assign(partitions, [m for m in members if m != leaving])
        removes.append(moved(before, after))
        extras.append(removes[-1] - loads(before)[leaving])
    return Figures(
        k=k,
        worst_ratio=max(ratios),
        spread=max(spreads),
        add_mean=statistics.mean(adds),
        add_max=max(adds),
        remove_mean=statistics.mean(removes),
        remove_extra_mean=statistics.mean(extras),
        remove_extra_max=max(extras),
    )


def ranks(member: str, partitions: int) -> dict[int, int]:
    """partition → the rank the member gives it."""
    return {p: r for r, p in enumerate(Preference.of(member, partitions))}


# --- Test vectors -------------------------------------------------------------------------

VECTOR_MEMBERS = ["shard-3f9a0c1e7b2d", "shard-8e41d7a05c93", "shard-c27b9e4f1a68"]
JOINING = "shard-5d06b3e8f412"

# FNV-1a 64 of the id's UTF-8 bytes: the preference key and the turn order.
MEMBER_HASHES = {
    "shard-3f9a0c1e7b2d": 0x1AE696E858657B49,
    "shard-8e41d7a05c93": 0xCE9BB5BF5A621552,
    "shard-c27b9e4f1a68": 0xD7F4650E7BDEE766,
    "shard-5d06b3e8f412": 0xAE7395C19DC5FF32,
}

# The first partitions each member prefers, with P = 1024 and P = 1000.
PREFERENCE_HEADS = {
    1024: {
        "shard-3f9a0c1e7b2d": [935, 1003, 157, 777, 882, 711, 25, 910],
        "shard-8e41d7a05c93": [431, 988, 372, 665, 74, 38, 246, 741],
        "shard-c27b9e4f1a68": [393, 271, 39, 935, 791, 603, 399, 222],
        "shard-5d06b3e8f412": [107, 328, 504, 838, 625, 676, 614, 419],
    },
    # 1003 is not a partition when P = 1000: the walk goes on to 697.
    1000: {"shard-3f9a0c1e7b2d": [935, 697, 157, 777, 882, 711, 25, 910]},
}

# partition → owner with P = 1024, for the three members and after the fourth joins.
OWNERS_3 = {
    0: "shard-8e41d7a05c93",
    1: "shard-c27b9e4f1a68",
    2: "shard-3f9a0c1e7b2d",
    511: "shard-3f9a0c1e7b2d",
    512: "shard-8e41d7a05c93",
    1023: "shard-3f9a0c1e7b2d",
}
OWNERS_4 = {
    0: "shard-5d06b3e8f412",
    1: "shard-c27b9e4f1a68",
    2: "shard-3f9a0c1e7b2d",
    511: "shard-3f9a0c1e7b2d",
    512: "shard-8e41d7a05c93",
    1023: "shard-8e41d7a05c93",
}


def test_splitmix64_matches_its_reference_output() -> None:
    state, first = splitmix64(0)
    assert (state, first) == (0x9E3779B97F4A7C15, 0xE220A8397B1DCDAF)
    assert splitmix64(state)[1] == 0x6E789E6AA1B965F4


@pytest.mark.parametrize(("member", "hashed"), MEMBER_HASHES.items())
def test_member_hash_is_fnv1a64_of_the_utf8_id(member: str, hashed: int) -> None:
    assert member_hash(member) == hashed


def test_preference_parameters_match_the_documented_vector() -> None:
    assert Preference.of("shard-3f9a0c1e7b2d", P) == Preference(
        partitions=1024, mask=1023, shift=5, mul1=487, add1=83, mul2=497, add2=633
    )


@pytest.mark.parametrize(
    ("partitions", "member", "head"),
    [(n, m, head) for n, heads in PREFERENCE_HEADS.items() for m, head in heads.items()],
)
def test_preference_order_matches_the_documented_vectors(
    partitions: int, member: str, head: list[int]
) -> None:
    assert list(Preference.of(member, partitions))[: len(head)] == head


def test_turn_order_and_capacities_match_the_documented_vectors() -> None:
    assert turn_order(VECTOR_MEMBERS) == VECTOR_MEMBERS
    assert capacities(P, VECTOR_MEMBERS) == {
        "shard-3f9a0c1e7b2d": 342,
        "shard-8e41d7a05c93": 341,
        "shard-c27b9e4f1a68": 341,
    }
    assert turn_order([*VECTOR_MEMBERS, JOINING]) == [
        "shard-3f9a0c1e7b2d",
        JOINING,
        "shard-8e41d7a05c93",
        "shard-c27b9e4f1a68",
    ]


def test_owners_match_the_documented_vectors() -> None:
    three = assign(P, VECTOR_MEMBERS)
    four = assign(P, [*VECTOR_MEMBERS, JOINING])
    assert {p: three[p] for p in OWNERS_3} == OWNERS_3
    assert {p: four[p] for p in OWNERS_4} == OWNERS_4
    assert loads(three) == capacities(P, VECTOR_MEMBERS)
    assert moved(three, four) == 264
    assert assign(5, [*VECTOR_MEMBERS, JOINING]) == {
        0: "shard-3f9a0c1e7b2d",
        1: "shard-c27b9e4f1a68",
        2: "shard-5d06b3e8f412",
        3: "shard-3f9a0c1e7b2d",
        4: "shard-8e41d7a05c93",
    }


# --- Determinism ------------------------------------------------------------------------


def test_the_map_is_the_same_whatever_the_order_or_repetition_of_members() -> None:
    rng = random.Random(1)
    for k in (1, 2, 5, 10, 33):
        members = member_ids(rng, k)
        expected = assign(P, members)
        for _ in range(5):
            shuffled = members + rng.sample(members, rng.randint(0, k))
            rng.shuffle(shuffled)
            assert assign(P, shuffled) == expected
            assert assign(P, tuple(shuffled)) == expected


_CHILD = """
import json, sys
from shards.assignment import assign
members = json.loads(sys.argv[1])
print(json.dumps({
    "owners": sorted(assign(1024, members).items()),
    "builtin": [hash(m) for m in members],
}))
"""


def _in_child(members: list[str], hash_seed: str) -> dict[str, list[list[int | str]]]:
    env = {**os.environ, "PYTHONHASHSEED": hash_seed}
    out = subprocess.run(
        [sys.executable, "-c", _CHILD, json.dumps(members)],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    result: dict[str, list[list[int | str]]] = json.loads(out.stdout)
    return result


def test_the_map_is_the_same_in_other_processes_whatever_their_hash_seed() -> None:
    members = [*VECTOR_MEMBERS, JOINING, "shard-é"]
    first = _in_child(members, "1")
    second = _in_child(list(reversed(members)), "2")
    # The children really did hash strings differently: Python's hash() would not do.
    assert first["builtin"] != second["builtin"]
    expected = [[p, m] for p, m in sorted(assign(P, members).items())]
    assert first["owners"] == second["owners"] == expected


# --- Shape of the map -------------------------------------------------------------------


def test_no_members_own_nothing() -> None:
    assert assign(P, []) == {}
    assert capacities(P, []) == {}


@pytest.mark.parametrize("partitions", [1, 2, 7, 1000, P])
def test_a_single_member_owns_every_partition(partitions: int) -> None:
    assert assign(partitions, ["shard-only"]) == dict.fromkeys(range(partitions), "shard-only")


def test_with_more_members_than_partitions_each_partition_has_its_own_owner() -> None:
    members = member_ids(random.Random(2), 20)
    owner = assign(8, members)
    assert sorted(owner) == list(range(8))
    assert len(set(owner.values())) == 8
    # The owners are the first eight in turn order; the others hold nothing.
    assert set(owner.values()) == set(turn_order(members)[:8])


def test_a_partition_count_below_one_is_refused() -> None:
    with pytest.raises(ValueError, match="partitions"):
        assign(0, ["shard-a"])
    with pytest.raises(ValueError, match="partitions"):
        Preference.of("shard-a", -1)


@pytest.mark.parametrize("partitions", [1, 2, 3, 7, 64, 1000, 1023, P, 1025, 4096, 5000])
def test_each_preference_ranks_every_partition_exactly_once(partitions: int) -> None:
    for member in [*VECTOR_MEMBERS, "", "shard-é"]:
        assert sorted(Preference.of(member, partitions)) == list(range(partitions))


@pytest.mark.parametrize("partitions", [1, 3, 10, 1000, P])
def test_every_partition_has_one_owner_and_each_member_its_capacity(partitions: int) -> None:
    rng = random.Random(partitions)
    for k in (1, 2, 3, 7, 16, 64):
        members = member_ids(rng, k)
        owner = assign(partitions, members)
        assert sorted(owner) == list(range(partitions))
        caps = capacities(partitions, members)
        assert sum(caps.values()) == partitions
        assert set(caps.values()) <= {partitions // k, -(-partitions // k)}
        assert {m: loads(owner)[m] for m in members} == caps


@pytest.mark.parametrize("partitions", [1000, P])
def test_no_member_with_room_ranks_a_partition_ahead_of_its_owner(partitions: int) -> None:
    # The map is the stable matching for the members' preferences: a member that ranks a
    # partition ahead of its owner (or ties and goes first) had already filled its capacity
    # with partitions it ranks higher still.
    rng = random.Random(3)
    for k in (2, 5, 9):
        members = member_ids(rng, k)
        owner = assign(partitions, members)
        caps = capacities(partitions, members)
        turn = {m: i for i, m in enumerate(turn_order(members))}
        rank = {m: ranks(m, partitions) for m in members}
        for partition, holder in owner.items():
            claim = (rank[holder][partition], turn[holder])
            for other in members:
                if other != holder and (rank[other][partition], turn[other]) < claim:
                    ahead = [p for p, m in owner.items() if m == other]
                    assert len(ahead) == caps[other]
                    assert all(rank[other][p] < rank[other][partition] for p in ahead)


# --- Balance and movement ---------------------------------------------------------------

SEEDS = range(10)


@pytest.mark.parametrize("partitions", [1000, P])
@pytest.mark.parametrize("k", range(3, 11))
def test_members_own_floor_or_ceil_of_p_over_k(partitions: int, k: int) -> None:
    figures = measure(partitions, k, SEEDS)
    assert figures.worst_ratio <= 1.25
    # What the algorithm actually achieves: no two members differ by more than one partition.
    assert figures.spread <= 1


@pytest.mark.parametrize("partitions", [1000, P])
@pytest.mark.parametrize("k", range(3, 10))
def test_a_joining_member_moves_little_more_than_its_own_share(partitions: int, k: int) -> None:
    figures = measure(partitions, k, SEEDS)
    assert figures.add_max <= 1.5 * partitions / k
    # Measured worst over 150 member sets for each K and P: 1.29 times the joiner's share.
    assert figures.add_max <= 1.4 * partitions / (k + 1)


@pytest.mark.parametrize("partitions", [1000, P])
@pytest.mark.parametrize("k", range(3, 11))
def test_a_leaving_member_moves_its_partitions_and_few_others(partitions: int, k: int) -> None:
    figures = measure(partitions, k, SEEDS)
    # Measured worst over 150 member sets for each K and P: 0.28 times a member's share.
    assert figures.remove_extra_max <= 0.35 * partitions / k


def main() -> None:
    """Print the table of docs/partitions.md."""
    seeds = range(100)
    print(f"P = {P}, {len(seeds)} random member sets per K")
    print()
    print(
        "| K | P/K | max/min | add: P/(K+1) | moved, mean | moved, max | 1.5·P/K "
        "| remove: moved, mean | not the leaver's, mean | max |"
    )
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for k in range(3, 11):
        f = measure(P, k, seeds)
        print(
            f"| {k} | {P / k:.1f} | {f.worst_ratio:.3f} | {P / (k + 1):.1f} | {f.add_mean:.1f} "
            f"| {f.add_max} | {1.5 * P / k:.1f} | {f.remove_mean:.1f} "
            f"| {f.remove_extra_mean:.1f} | {f.remove_extra_max} |"
        )


if __name__ == "__main__":
    main()
