"""Which partition an instance belongs to: FNV-1a 64 of its key, modulo the partition count.

The key is the UTF-8 bytes of `account_id`, `workflow` and `instance_id` joined by a zero
byte. FNV-1a is a few lines in any language, so every SDK and server computes the same
partition. Test vectors live in tests/core/test_partitioning.py; keep them when porting.
"""

from __future__ import annotations

FNV_OFFSET = 0xCBF29CE484222325
FNV_PRIME = 0x100000001B3
MASK = 0xFFFFFFFFFFFFFFFF

DEFAULT_PARTITIONS = 1024


def fnv1a64(data: bytes) -> int:
    """64-bit FNV-1a of data."""
    h = FNV_OFFSET
    for byte in data:
        h = ((h ^ byte) * FNV_PRIME) & MASK
    return h


def instance_hash(account_id: str, workflow: str, instance_id: str) -> int:
    """Stable 64-bit hash of an instance's key."""
    return fnv1a64(b"\x00".join(s.encode() for s in (account_id, workflow, instance_id)))


def partition_of(account_id: str, workflow: str, instance_id: str, partitions: int) -> int:
    """The partition (0 to partitions - 1) that owns the instance."""
    return instance_hash(account_id, workflow, instance_id) % partitions


def schedule_partition(account_id: str, schedule_id: str, partitions: int) -> int:
    """The partition that owns a schedule: its key with an empty workflow, which no instance
    has, so that a schedule and an instance never share a key."""
    return partition_of(account_id, "", schedule_id, partitions)
