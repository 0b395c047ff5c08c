"""Per-account caps on what an account holds open or registered, and the counter of open calls.

These are fixed, not quotas an admin changes. Each answers RESOURCE_EXHAUSTED with RetryInfo
(QuotaExceeded naming the cap) when a call would pass it, before the call does any work:

- open WatchHistory streams: counted by each gateway process, per account;
- open long polls (PollWorkflowTasks, PollStepTasks and WaitInstance together): counted by
  each gateway process, per account (a worker's poll counts once, however many shard servers
  the gateway sends it to);
- registered workflows: counted in the database by the shard server that registers them, so
  for the whole account.

Beside them, one gateway process holds at most MAX_HELD_CALLS_PER_GATEWAY streams and long
polls of all accounts together. gRPC (grpcio 1.85 on these machines) starts cancelling new
calls of a process that holds about 1,800 to 2,200 open streams at once (measured: calls past
that end CANCELLED within a second, whatever their account); a gateway holds each watch or
poll twice, once from its client and once to the shard server. Refusing past the cap answers
a clear RESOURCE_EXHAUSTED instead; a cluster holds more by running more gateways.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from shards.errors import QuotaExceeded

# WatchHistory streams one account may hold open on one gateway.
MAX_WATCHES_PER_ACCOUNT = 100
# Long polls (PollWorkflowTasks + PollStepTasks + WaitInstance) one account may hold open on
# one gateway.
MAX_POLLS_PER_ACCOUNT = 1000
# Streams and long polls of every account together that one gateway process holds open.
MAX_HELD_CALLS_PER_GATEWAY = 1000
# Workflows one account may have registered, in all.
MAX_WORKFLOWS_PER_ACCOUNT = 10_000

# The names a refusal gives each cap (its QuotaFailure subject and metric label).
WATCHES = "max_watch_streams"
POLLS = "max_open_polls"
HELD = "max_held_calls_per_gateway"
WORKFLOWS = "max_workflows"

# When an open call may be tried again: by then some streams or polls have ended.
OPEN_RETRY_SECONDS = 1.0
# When a registration may be tried again: the count does not fall by itself.
REGISTER_RETRY_SECONDS = 60.0


class OpenCalls:
    """Counts an account's open calls of each kind, and refuses one past the kind's cap."""

    def __init__(
        self,
        caps: dict[str, int] | None = None,
        on_refusal: Callable[[str, str], None] | None = None,
        held_cap: int = MAX_HELD_CALLS_PER_GATEWAY,
    ) -> None:
        self.caps = caps or {WATCHES: MAX_WATCHES_PER_ACCOUNT, POLLS: MAX_POLLS_PER_ACCOUNT}
        self.held_cap = held_cap
        self._open: Counter[tuple[str, str]] = Counter()
        self._held = 0
        self._on_refusal = on_refusal

    def open(self, account_id: str, kind: str) -> int:
        """How many calls of this kind the account holds open now."""
        return self._open[(account_id, kind)]

    @contextmanager
    def hold(self, account_id: str, kind: str) -> Iterator[None]:
        """Counts one open call of the account while the block runs; QuotaExceeded at once
        when the account holds its cap already."""
        key = (account_id, kind)
        cap = self.caps[kind]
        if self._open[key] >= cap:
            self._refuse(account_id, kind, cap, f"this account holds {self._open[key]:,} such")
        if self._held >= self.held_cap:
            self._refuse(account_id, HELD, self.held_cap, f"all accounts hold {self._held:,}")
        self._open[key] += 1
        self._held += 1
        try:
            yield
        finally:
            self._held -= 1
            self._open[key] -= 1
            if self._open[key] <= 0:
                del self._open[key]

    def _refuse(self, account_id: str, cap_name: str, cap: int, holding: str) -> None:
        if self._on_refusal is not None:
            self._on_refusal(account_id, cap_name)
        raise QuotaExceeded(
            cap_name,
            cap,
            OPEN_RETRY_SECONDS,
            detail=f"{holding} calls open on this gateway",
        )


def check_workflows(account_id: str, registered: int, new: int) -> None:
    """Refuses a registration that would take the account past MAX_WORKFLOWS_PER_ACCOUNT."""
    if new and registered + new > MAX_WORKFLOWS_PER_ACCOUNT:
        raise QuotaExceeded(
            WORKFLOWS,
            MAX_WORKFLOWS_PER_ACCOUNT,
            REGISTER_RETRY_SECONDS,
            detail=(
                f"this account has {registered:,} workflows registered and the call adds {new:,}"
            ),
        )
