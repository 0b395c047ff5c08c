"""The shard engine: applies commands to instances, runs their timers and dispatches their
tasks.

Every command is an operation run by the committer (shards.committer) in its writer thread: it
reads its rows, calls one rule of shards.core, and hands the result to the interpreter
(effects.Effects), which writes it with shards.store and registers the in-memory effects
(dispatching a task, waking a client waiting for a result, re-arming the timer) to run after
the commit.

| module | owns |
| --- | --- |
| facade | ShardEngine: wires the parts, starts and stops the background tasks, ownership |
| effects | the interpreter of Transitions; running writes, reads and background work |
| admission | quotas, running and queued counts, step counts, refusals |
| ownership | the partitions owned and the fence on writes |
| instances | the clients' commands and reads |
| workflow_tasks | polls, claims, journal pages, heartbeats, releases, the workflow's end |
| step_commands | the steps a run records: start, result, failure, sleep, event wait |
| step_tasks | CALL steps and their step tasks |
| timers | the due times and the timer task |
| retention | retention and the sweep of expired instances |
| journal | pages of a journal |
| types | the values commands answer |
"""

from shards.engine.facade import ShardEngine
from shards.engine.types import (
    ClaimedStepTask,
    HistoryPage,
    InstanceView,
    NewInstance,
    StepFailureOutcome,
    Task,
    WorkflowInfo,
)

__all__ = [
    "ClaimedStepTask",
    "HistoryPage",
    "InstanceView",
    "NewInstance",
    "ShardEngine",
    "StepFailureOutcome",
    "Task",
    "WorkflowInfo",
]
