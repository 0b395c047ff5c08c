"""Stepway's Python SDK: durable workflows over gRPC.

from stepway import Client, Worker, workflow, RetryPolicy, NonRetryableError
"""

from __future__ import annotations

__version__ = "0.1.0"

from stepway._step import Step
from stepway.client import Client, ErrorInfo, InstanceHandle, InstanceInfo, InstanceStatus
from stepway.errors import (
    AlreadyExistsError,
    FailedPreconditionError,
    InvalidArgumentError,
    NotFoundError,
    PermissionDeniedError,
    ResourceExhaustedError,
    StepwayError,
    UnauthenticatedError,
    UnavailableError,
    WorkflowFailedError,
    WorkflowTerminatedError,
)
from stepway.worker import Worker
from stepway.workflow import (
    Event,
    EventTimeoutError,
    NonRetryableError,
    RetryPolicy,
    StepFailedError,
    StepInfo,
    WorkflowDefinition,
    WorkflowEvent,
    current_step,
    workflow,
)

__all__ = [
    "AlreadyExistsError",
    "Client",
    "ErrorInfo",
    "Event",
    "EventTimeoutError",
    "FailedPreconditionError",
    "InstanceHandle",
    "InstanceInfo",
    "InstanceStatus",
    "InvalidArgumentError",
    "NonRetryableError",
    "NotFoundError",
    "PermissionDeniedError",
    "ResourceExhaustedError",
    "RetryPolicy",
    "Step",
    "StepFailedError",
    "StepInfo",
    "StepwayError",
    "UnauthenticatedError",
    "UnavailableError",
    "Worker",
    "WorkflowDefinition",
    "WorkflowEvent",
    "WorkflowFailedError",
    "WorkflowTerminatedError",
    "__version__",
    "current_step",
    "workflow",
]
