"""Retention by outcome (shards/core/retention.py): which retention an instance gets at
creation, and which one sets its expiry when it completes, errors or is terminated."""

from __future__ import annotations

from dataclasses import replace

from shards.core import control, machine, retention
from shards.core.retention import UNSET, Retentions
from tests.core.test_machine import ERROR, LEASE, T0, running

ACCOUNT = 30 * 86_400_000_000


def test_a_create_without_retentions_keeps_the_workflows_per_outcome_else_the_accounts() -> None:
    assert retention.pick(UNSET, None, Retentions(2, 5), ACCOUNT) == (2, 5)
    assert retention.pick(UNSET, None, Retentions(2, None), ACCOUNT) == (2, ACCOUNT)
    assert retention.pick(UNSET, None, UNSET, ACCOUNT) == (ACCOUNT, ACCOUNT)


def test_a_creates_retention_overrides_the_workflows_for_both_outcomes() -> None:
    assert retention.pick(UNSET, 7, Retentions(2, 5), ACCOUNT) == (7, 7)


def test_a_creates_retention_per_outcome_overrides_its_retention_and_the_workflows() -> None:
    assert retention.pick(Retentions(1, None), 7, Retentions(2, 5), ACCOUNT) == (1, 7)
    assert retention.pick(Retentions(None, 3), None, Retentions(2, 5), ACCOUNT) == (2, 3)


def test_each_end_sets_the_expiry_by_its_outcomes_retention() -> None:
    inst = replace(running(), retention_us=2, error_retention_us=5)
    now = T0 + 10_000
    done = machine.complete(inst, lease=LEASE, output=b"1", now=now).instance
    failed = machine.fail(inst, lease=LEASE, error=ERROR, now=now).instance
    stopped = control.terminate(inst, "stop", now).instance
    assert (done.expires_at, failed.expires_at, stopped.expires_at) == (now + 2, now + 5, now + 5)


def test_an_instance_without_an_error_retention_keeps_its_retention_for_every_outcome() -> None:
    inst = replace(running(), retention_us=2, error_retention_us=None)
    now = T0 + 10_000
    assert machine.fail(inst, lease=LEASE, error=ERROR, now=now).instance.expires_at == now + 2
