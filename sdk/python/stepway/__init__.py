"""Stepway's Python SDK: durable workflows over gRPC.

from stepway import Client, Worker, workflow, RetryPolicy, NonRetryableError
from stepway import StepWorker  # serves step.call's steps from a step task queue
"""

from __future__ import annotations

__version__ = "0.1.0"

from stepway._step import Step
from stepway.admin import AccountInfo, Admin, KeyInfo, NewKey, Quotas, Role, Usage
from stepway.client import (
    BatchResult,
    Client,
    ErrorInfo,
    HistoryEvent,
    InstanceHandle,
    InstanceInfo,
    InstancePage,
    InstanceStatus,
    NewInstance,
    StepRecord,
    WorkflowInfo,
)
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
from stepway.step_worker import StepTaskContext, StepWorker, current_step_task
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
    "AccountInfo",
    "Admin",
    "AlreadyExistsError",
    "BatchResult",
    "Client",
    "ErrorInfo",
    "Event",
    "EventTimeoutError",
    "FailedPreconditionError",
    "HistoryEvent",
    "InstanceHandle",
    "InstanceInfo",
    "InstancePage",
    "InstanceStatus",
    "InvalidArgumentError",
    "KeyInfo",
    "NewInstance",
    "NewKey",
    "NonRetryableError",
    "NotFoundError",
    "PermissionDeniedError",
    "Quotas",
    "ResourceExhaustedError",
    "RetryPolicy",
    "Role",
    "Step",
    "StepFailedError",
    "StepInfo",
    "StepRecord",
    "StepTaskContext",
    "StepWorker",
    "StepwayError",
    "UnauthenticatedError",
    "UnavailableError",
    "Usage",
    "Worker",
    "WorkflowDefinition",
    "WorkflowEvent",
    "WorkflowFailedError",
    "WorkflowInfo",
    "WorkflowTerminatedError",
    "__version__",
    "current_step",
    "current_step_task",
    "workflow",
]
