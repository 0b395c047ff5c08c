"""Defining workflows: the @workflow decorator, the event a run receives, retry policies."""

from __future__ import annotations

import threading
from collections.abc import Awaitable, Callable
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from stepway._step import Step

Backoff = Literal["constant", "linear", "exponential"]
# The longest delay between two attempts of a step, as the server takes it: a longer delay or
# max_delay is refused, and a delay growing by backoff stops there.
MAX_RETRY_DELAY = 24 * 3600.0
# The most retries a policy may ask for, as the server takes it.
MAX_RETRY_LIMIT = 1_000_000_000


def seconds(value: float | timedelta) -> float:
    """Seconds of a number of seconds or a timedelta."""
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


@dataclass(frozen=True)
class RetryPolicy:
    """How a failing step is retried: `limit` retries after the first attempt, `delay` seconds
    before the first retry, growing by `backoff` (constant, linear or exponential), capped by
    `max_delay`."""

    limit: int = 5
    delay: float | timedelta = 10.0
    backoff: Backoff = "exponential"
    max_delay: float | timedelta | None = None

    def __post_init__(self) -> None:
        if not 0 <= self.limit <= MAX_RETRY_LIMIT:
            raise ValueError(f"RetryPolicy.limit must be from 0 to {MAX_RETRY_LIMIT}")
        if self.backoff not in ("constant", "linear", "exponential"):
            raise ValueError("RetryPolicy.backoff must be 'constant', 'linear' or 'exponential'")
        for name in ("delay", "max_delay"):
            value = getattr(self, name)
            if value is not None and not 0 <= seconds(value) <= MAX_RETRY_DELAY:
                raise ValueError(
                    f"RetryPolicy.{name} must be from 0 to {MAX_RETRY_DELAY:g} s (24 hours), "
                    f"not {seconds(value):g} s"
                )


DEFAULT_RETRIES = RetryPolicy()
DEFAULT_STEP_TIMEOUT = 600.0
DEFAULT_EVENT_TIMEOUT = 24 * 3600.0


class NonRetryableError(Exception):
    """Raise from a step function to fail the step at once, without retries."""


class StepFailedError(Exception):
    """A step failed for good (retries used up, or a non-retryable error).

    Raised inside the workflow by `step.do`; left uncaught, the instance errors with the
    original `error_type` and `error_message`.
    """

    def __init__(self, step: str, error_type: str, error_message: str) -> None:
        super().__init__(f"step {step!r} failed: {error_type}: {error_message}")
        self.step = step
        self.error_type = error_type
        self.error_message = error_message


class EventTimeoutError(Exception):
    """No event of the awaited type arrived before the wait's timeout."""


@dataclass(frozen=True)
class WorkflowEvent:
    """What a workflow run receives: its params and who it is."""

    params: Any
    instance_id: str
    workflow: str
    timestamp: datetime


@dataclass(frozen=True)
class Event:
    """An event taken by `step.wait_for_event`."""

    type: str
    payload: Any
    received_at: datetime


@dataclass(frozen=True)
class StepInfo:
    """The step a step function runs in: `stepway.current_step()` inside the function."""

    name: str
    attempt: int
    instance_id: str
    workflow: str
    # Set when the attempt timed out or its run stopped: a synchronous body (which runs in a
    # thread that nothing can stop) should check it in its loops and return or raise. An async
    # body is cancelled as well.
    cancelled: threading.Event = field(default_factory=threading.Event, compare=False)


_current_step: ContextVar[StepInfo] = ContextVar("stepway_current_step")


def current_step() -> StepInfo:
    """The step being run, with its attempt number (1 for the first attempt)."""
    try:
        return _current_step.get()
    except LookupError:
        raise RuntimeError("current_step() is only available inside a step function") from None


WorkflowFn = Callable[[WorkflowEvent, "Step"], Awaitable[Any]]


@dataclass(frozen=True)
class WorkflowDefinition:
    """A workflow's name, its run function, and how long its finished instances are kept by
    default: success_retention once complete, error_retention once errored or terminated
    (seconds; None: the account's retention)."""

    name: str
    fn: WorkflowFn
    success_retention: float | None = None
    error_retention: float | None = None

    async def __call__(self, event: WorkflowEvent, step: Step) -> Any:
        return await self.fn(event, step)


def workflow(
    name: str,
    *,
    success_retention: float | timedelta | None = None,
    error_retention: float | timedelta | None = None,
) -> Callable[[WorkflowFn], WorkflowDefinition]:
    """Declares an async function `run(event, step)` as the workflow called name.

    success_retention and error_retention (seconds or a timedelta) are how long its instances
    are kept once they complete, and once they end errored or terminated; the worker sends them
    when it registers, and a create's own retention overrides them. None: the account's.
    """
    success = None if success_retention is None else seconds(success_retention)
    error = None if error_retention is None else seconds(error_retention)

    def wrap(fn: WorkflowFn) -> WorkflowDefinition:
        return WorkflowDefinition(
            name=name, fn=fn, success_retention=success, error_retention=error
        )

    return wrap
