"""The shard engine: applies commands to instances, runs their timers and dispatches their
tasks.

Every command is an operation run by the committer (shards.committer) in its writer thread: it
reads its rows, calls one rule of shards.core, and hands the result to the interpreter
(effects.Effects), which writes it with shards.store and registers the in-memory effects
(dispatching a task, waking a client waiting for a result, re-arming the timer) to run after
the commit.

Threads. Operations run in the committer's writer thread; reads run in a pool of reader
threads; everything else, after-commit callbacks included, runs on the event loop. The rule:

- The in-memory state (ready queues, clients waiting for results, history watchers, the
  workers' tasks, running and queued counts, step counts, the task queue and retention
  caches, the next due time) is read and changed on the event loop only, and a write changes it
  only in its after-commit callbacks, so it never holds what a rolled-back transaction wrote.
- What an operation needs of that state is read on the event loop when the command is
  submitted and passed into the operation's closure as a value (the queued counts and cached
  names of a create, a task's step count): the writer thread reads none of it.
- Three things are shared with the writer thread by design: the owned partitions and lease
  time (ownership.Partitions, each replaced whole on the loop, read by the fence, whose refusal
  counter only the writer thread changes), the quota cache (shards.quotas.QuotaCache, rows read
  in any thread, each entry replaced whole), and the metrics, which are thread-safe.

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
| schedules | ScheduleService's commands and the firing of due schedules |
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
