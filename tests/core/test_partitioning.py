"""An instance's partition is FNV-1a 64 of its key modulo P: fixed, portable and well spread.

The vectors below are the contract for every other language that computes partitions (SDKs,
tools): a port must reproduce them exactly. The key of (account, workflow, instance_id) is the
UTF-8 bytes of the three joined by one zero byte; partitions are the unsigned 64-bit hash modulo P.
"""

from __future__ import annotations

import json
import os
import random
import string
import subprocess
import sys
from collections import Counter

import pytest

from shards.partitioning import (
    DEFAULT_PARTITIONS,
    fnv1a64,
    instance_hash,
    partition_of,
    schedule_partition,
)

P = 1024

# The standard FNV-1a 64-bit test vectors (Fowler/Noll/Vo reference test suite).
FNV1A64_VECTORS = [
    (b"", 0xCBF29CE484222325),
    (b"a", 0xAF63DC4C8601EC8C),
    (b"foobar", 0x85944171F73967E8),
]

# (account_id, workflow, instance_id) -> (64-bit hash, partition with P = 1024).
# Cross-checked against an independent C implementation for the ASCII keys.
INSTANCE_VECTORS = [
    (("acct_1", "orders", "order-42"), 0x7CBA2880A335D1EC, 492),
    (("a", "b", "c"), 0x3FAE46FC8499A3AF, 943),
    (("default", "checkout", "7f3c9e2a"), 0x566AE13BB83A3A12, 530),
    (("", "", ""), 0x08328807B4EB6FED, 1005),
    (("acme", "signup", "user_0"), 0x09DCDBF720A4AD77, 375),
    # Non-ASCII text is hashed as UTF-8.
    (("tenant-é", "wf", "ünïcode-id"), 0xE408F6868782009D, 157),
    # The separator keeps ("ab", "c") and ("a", "bc") apart.
    (("ab", "c", ""), 0xAD22872F536E4705, 773),
    (("a", "bc", ""), 0x401801FC84F3CA79, 633),
]


@pytest.mark.parametrize(("data", "expected"), FNV1A64_VECTORS)
def test_fnv1a64_matches_the_standard_test_vectors(data: bytes, expected: int) -> None:
    assert fnv1a64(data) == expected


@pytest.mark.parametrize(("key", "hashed", "partition"), INSTANCE_VECTORS)
def test_instance_hash_and_partition_match_the_documented_vectors(
    key: tuple[str, str, str], hashed: int, partition: int
) -> None:
    assert instance_hash(*key) == hashed
    assert partition_of(*key, P) == partition


@pytest.mark.parametrize(("key", "hashed", "partition"), INSTANCE_VECTORS)
def test_instance_key_is_utf8_fields_joined_by_a_zero_byte(
    key: tuple[str, str, str], hashed: int, partition: int
) -> None:
    encoded = b"\x00".join(part.encode("utf-8") for part in key)
    assert fnv1a64(encoded) == hashed
    assert hashed % P == partition


def test_partition_is_always_within_range_for_any_partition_count() -> None:
    rng = random.Random(7)
    for count in (1, 2, 3, 7, 1000, DEFAULT_PARTITIONS, 65_536):
        for _ in range(200):
            account, workflow, instance_id = (
                "".join(rng.choices(string.printable, k=rng.randint(0, 12))) for _ in "abc"
            )
            assert 0 <= partition_of(account, workflow, instance_id, count) < count


def test_a_schedules_partition_is_its_key_with_an_empty_workflow_as_documented() -> None:
    assert instance_hash("default", "", "nightly") == 0x4C73A8F23C38CAB7
    assert schedule_partition("default", "nightly", 1024) == 695
    assert schedule_partition("default", "nightly", 1024) == partition_of(
        "default", "", "nightly", 1024
    )


def test_default_partition_count_is_1024() -> None:
    assert DEFAULT_PARTITIONS == 1024


def _spread(keys: list[tuple[str, str, str]]) -> tuple[float, int, int]:
    counts = Counter(partition_of(*key, P) for key in keys)
    expected = len(keys) / P
    chi2 = sum((counts.get(p, 0) - expected) ** 2 / expected for p in range(P))
    return chi2, min(counts.get(p, 0) for p in range(P)), max(counts.values())


# With 1023 degrees of freedom chi-square has mean 1023 and standard deviation ~45; 1250 is
# five deviations out. With ~97.7 keys a partition, Poisson bounds of 55..145 are > 4 deviations.
CHI2_LIMIT = 1250
MIN_PER_PARTITION = 55
MAX_PER_PARTITION = 145


def test_100k_random_keys_spread_evenly_over_1024_partitions() -> None:
    rng = random.Random(20261125)
    alphabet = string.ascii_letters + string.digits + "_-"
    keys = [
        (
            f"acct_{rng.randrange(50)}",
            rng.choice(["orders", "signup", "billing", "etl"]),
            "".join(rng.choices(alphabet, k=rng.randint(1, 24))),
        )
        for _ in range(100_000)
    ]
    chi2, low, high = _spread(keys)
    assert chi2 < CHI2_LIMIT, f"chi-square {chi2:.0f} over 1023 degrees of freedom"
    assert low >= MIN_PER_PARTITION, f"emptiest partition holds {low} keys"
    assert high <= MAX_PER_PARTITION, f"fullest partition holds {high} keys"


def test_sequential_instance_ids_spread_evenly_over_1024_partitions() -> None:
    # Users often number their instances: order-0, order-1, ...
    keys = [("acct_1", "orders", f"order-{n}") for n in range(100_000)]
    chi2, low, high = _spread(keys)
    assert chi2 < CHI2_LIMIT, f"chi-square {chi2:.0f} over 1023 degrees of freedom"
    assert low >= MIN_PER_PARTITION, f"emptiest partition holds {low} keys"
    assert high <= MAX_PER_PARTITION, f"fullest partition holds {high} keys"


_CHILD = """
import json, sys
from shards.partitioning import instance_hash, partition_of
keys = json.loads(sys.argv[1])
print(json.dumps({
    "hashes": [instance_hash(*k) for k in keys],
    "partitions": [partition_of(*k, 1024) for k in keys],
    "builtin": [hash("\\x00".join(k)) for k in keys],
}))
"""


def _in_child(keys: list[list[str]], hash_seed: str) -> dict[str, list[int]]:
    env = {**os.environ, "PYTHONHASHSEED": hash_seed}
    out = subprocess.run(
        [sys.executable, "-c", _CHILD, json.dumps(keys)],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    result: dict[str, list[int]] = json.loads(out.stdout)
    return result


def test_partition_is_the_same_in_other_processes_whatever_their_hash_seed() -> None:
    keys = [list(key) for key, _, _ in INSTANCE_VECTORS]
    first = _in_child(keys, "1")
    second = _in_child(keys, "2")
    # The two children really did hash strings differently: Python's hash() would not do.
    assert first["builtin"] != second["builtin"]
    expected_hashes = [hashed for _, hashed, _ in INSTANCE_VECTORS]
    expected_partitions = [partition for _, _, partition in INSTANCE_VECTORS]
    for child in (first, second):
        assert child["hashes"] == expected_hashes
        assert child["partitions"] == expected_partitions
    assert [instance_hash(*key) for key, _, _ in INSTANCE_VECTORS] == expected_hashes
