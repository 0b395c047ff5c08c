"""Every query of the shard, named for what it does. Each takes the transaction's connection.

Reads return machine values (Instance, Step, StepTask); writes take machine Transitions.
Statements are built once (building a Core statement costs far more than running it), and
lookups by instance are batched by key (`load_instances`, `load_journals`) so that a poll or a
timer tick costs a fixed number of statements, not one per instance.

The rest of the code uses this package through the names below (`store.apply(...)`); its
modules hold one concern each:

- `rows`: the tables, the keys rows are found by, rows → Instance, Step, StepTask.
- `instances`: finding and loading instances and their params, inserting one.
- `journal`: the steps of instances, their sizes and the order they ran in.
- `events`: buffered events.
- `history`: reading an instance's history.
- `transitions`: the writes of a Transition (`apply`, `create_many`).
- `bulk`: many rows inserted by one statement whose text does not depend on their number.
- `together`: on PostgreSQL, a transition's instance, steps and history as one statement.
- `step_tasks`: the tasks of CALL steps.
- `due`: due instances and the next due time (the timer).
- `listing`: an account's instances page by page, queued and live instances of partitions.
- `workflows`: registered workflows and their retentions.
- `retention`: expired instances, those a bulk delete matches, and deleting instances.
- `leases`: the partition leases an operation's transaction reads.
- `schedules`: schedules, their listing, the timer's due schedules.
- `children`: a parent's child links and the outbox of messages about child workflows.
- `builds`: each workflow's builds of worker code, and the instances on a build.
"""

from shards.store.builds import (
    blocked_instances,
    build_counts,
    instances_on_build,
    register_builds,
    workflow_builds,
)
from shards.store.children import (
    Outgoing,
    add_messages,
    delete_message,
    due_messages,
    first_messages,
    insert_link,
    load_link,
    load_links,
    next_message_at,
    retry_message,
    update_link,
)
from shards.store.due import due_instances, move_due_times, next_due
from shards.store.events import insert_event, oldest_buffered_event
from shards.store.history import load_history
from shards.store.instances import (
    find_instance,
    find_instances,
    insert_instance,
    load_instance,
    load_instances,
    load_leases,
    load_params,
    load_params_of,
    new_uid,
)
from shards.store.journal import (
    count_steps,
    journal_in_run_order,
    journal_sizes,
    load_instance_and_step,
    load_journals,
    load_pending_steps,
    load_step,
    load_steps,
    run_order_sizes,
    unfinished_rollbacks,
)
from shards.store.leases import lease_epochs
from shards.store.listing import list_instances, queued_backlog, queued_instances, status_counts
from shards.store.retention import (
    account_retention,
    delete_instances,
    expired_instances,
    finished_instances,
)
from shards.store.rows import Key
from shards.store.schedules import (
    count_schedules,
    delete_schedule,
    due_schedules,
    insert_schedule,
    list_schedules,
    load_schedule,
    next_schedule_due,
    save_schedules,
)
from shards.store.step_tasks import (
    delete_step_task,
    due_step_tasks,
    load_step_task,
    load_step_tasks,
    ready_step_tasks,
    write_step_task,
)
from shards.store.transitions import apply, create_many
from shards.store.workflows import (
    register_workflows,
    unregistered_workflows,
    workflow_retentions,
    workflow_summaries,
    workflow_task_queue,
)

__all__ = [
    "Key",
    "Outgoing",
    "account_retention",
    "add_messages",
    "apply",
    "blocked_instances",
    "build_counts",
    "count_schedules",
    "count_steps",
    "create_many",
    "delete_instances",
    "delete_message",
    "delete_schedule",
    "delete_step_task",
    "due_instances",
    "due_messages",
    "due_schedules",
    "due_step_tasks",
    "expired_instances",
    "find_instance",
    "find_instances",
    "finished_instances",
    "first_messages",
    "insert_event",
    "insert_instance",
    "insert_link",
    "insert_schedule",
    "instances_on_build",
    "journal_in_run_order",
    "journal_sizes",
    "lease_epochs",
    "list_instances",
    "list_schedules",
    "load_history",
    "load_instance",
    "load_instance_and_step",
    "load_instances",
    "load_journals",
    "load_leases",
    "load_link",
    "load_links",
    "load_params",
    "load_params_of",
    "load_pending_steps",
    "load_schedule",
    "load_step",
    "load_step_task",
    "load_step_tasks",
    "load_steps",
    "move_due_times",
    "new_uid",
    "next_due",
    "next_message_at",
    "next_schedule_due",
    "oldest_buffered_event",
    "queued_backlog",
    "queued_instances",
    "ready_step_tasks",
    "register_builds",
    "register_workflows",
    "retry_message",
    "run_order_sizes",
    "save_schedules",
    "status_counts",
    "unfinished_rollbacks",
    "unregistered_workflows",
    "update_link",
    "workflow_builds",
    "workflow_retentions",
    "workflow_summaries",
    "workflow_task_queue",
    "write_step_task",
]
