"""Retention by outcome: which retention an instance gets at creation, and which one applies
when it ends.

An instance is kept `retention_us` once it completes and `error_retention_us` once it ends
errored or terminated (None: the same as `retention_us`, as for instances created before
retention by outcome). At creation each outcome's retention is the first set of: the create's
retention for that outcome (`success_retention`, `error_retention`), the create's `retention`,
the workflow's retention for that outcome (set at registration), the account's retention.
"""

from __future__ import annotations

from dataclasses import dataclass

from shards.core.model import Instance, Status


@dataclass(frozen=True)
class Retentions:
    """A retention per outcome in microseconds; None where unset."""

    success_us: int | None = None
    error_us: int | None = None


UNSET = Retentions()
"""No retention for either outcome."""


def pick(
    created: Retentions, retention_us: int | None, workflow: Retentions, account_us: int
) -> tuple[int, int]:
    """An instance's retentions at creation, once complete and once errored or terminated: the
    create's per outcome, the create's retention for both, the workflow's per outcome, the
    account's."""
    return (
        created.success_us or retention_us or workflow.success_us or account_us,
        created.error_us or retention_us or workflow.error_us or account_us,
    )


def at_end(inst: Instance, status: Status) -> int:
    """How long an instance that ends with this status is kept."""
    if status is Status.COMPLETE or inst.error_retention_us is None:
        return inst.retention_us
    return inst.error_retention_us
