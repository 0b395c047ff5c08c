"""Every table of Stepway, as SQLAlchemy Core. Alembic migrations (shards/migrations) build it.

Conventions, chosen to suit CockroachDB as well as PostgreSQL and SQLite:
- times are integer microseconds since the Unix epoch (UTC);
- tables of instance data lead their primary key with `partition`, so that one partition's rows
  are one contiguous key range;
- no sequences or autoincrement keys: ids are random (uid) or counted per instance (seq).
"""

from __future__ import annotations

import sqlalchemy as sa

metadata = sa.MetaData()

cluster = sa.Table(
    "cluster",
    metadata,
    sa.Column("name", sa.String(64), primary_key=True),
    sa.Column("value", sa.String(256), nullable=False),
)

accounts = sa.Table(
    "accounts",
    metadata,
    sa.Column("id", sa.String(32), primary_key=True),
    sa.Column("name", sa.String(100), nullable=False, unique=True),
    sa.Column("created_at", sa.BigInteger, nullable=False),
    # How long finished instances are kept, in microseconds; NULL means the default (30 days).
    sa.Column("retention_us", sa.BigInteger, nullable=True),
    # The other quotas an admin changed, as JSON (shards/quotas.py); NULL means all defaults.
    sa.Column("quotas", sa.Text, nullable=True),
    # An operator account's admin keys manage every account; a tenant's only its own.
    sa.Column("operator", sa.Boolean, nullable=False, server_default=sa.false()),
)

api_keys = sa.Table(
    "api_keys",
    metadata,
    # SHA-256 of the key, hex: keys are shown once and never stored.
    sa.Column("key_hash", sa.String(64), primary_key=True),
    sa.Column("account_id", sa.String(32), nullable=False, index=True),
    sa.Column("role", sa.String(16), nullable=False),
    sa.Column("name", sa.String(100), nullable=False),
    sa.Column("created_at", sa.BigInteger, nullable=False),
    sa.Column("revoked_at", sa.BigInteger, nullable=True),
)

workflows = sa.Table(
    "workflows",
    metadata,
    sa.Column("account_id", sa.String(32), primary_key=True),
    sa.Column("name", sa.String(100), primary_key=True),
    sa.Column("task_queue", sa.String(100), nullable=False),
    sa.Column("registered_at", sa.BigInteger, nullable=False),
    # The workflow's retention (microseconds) for instances that complete, and for those that
    # end errored or terminated, as its latest registration set them; NULL: the account's.
    sa.Column("success_retention_us", sa.BigInteger, nullable=True),
    sa.Column("error_retention_us", sa.BigInteger, nullable=True),
)

# The builds of worker code registered for each workflow: the newest (latest first
# registration) is where new instances start (docs/versioning.md).
workflow_builds = sa.Table(
    "workflow_builds",
    metadata,
    sa.Column("account_id", sa.String(32), primary_key=True),
    sa.Column("workflow", sa.String(100), primary_key=True),
    sa.Column("build_id", sa.String(100), primary_key=True),
    sa.Column("first_registered_at", sa.BigInteger, nullable=False),
    sa.Column("last_registered_at", sa.BigInteger, nullable=False),
)

instances = sa.Table(
    "instances",
    metadata,
    sa.Column("partition", sa.Integer, primary_key=True),
    sa.Column("uid", sa.String(32), primary_key=True),
    sa.Column("account_id", sa.String(32), nullable=False),
    sa.Column("workflow", sa.String(100), nullable=False),
    sa.Column("instance_id", sa.String(100), nullable=False),
    sa.Column("task_queue", sa.String(100), nullable=False),
    sa.Column("status", sa.String(16), nullable=False),
    sa.Column("params", sa.LargeBinary, nullable=False),
    sa.Column("output", sa.LargeBinary, nullable=True),
    sa.Column("error_type", sa.String(200), nullable=True),
    sa.Column("error_message", sa.Text, nullable=True),
    sa.Column("error_details", sa.Text, nullable=True),
    sa.Column("created_at", sa.BigInteger, nullable=False),
    sa.Column("started_at", sa.BigInteger, nullable=True),
    sa.Column("ended_at", sa.BigInteger, nullable=True),
    # Order of dispatch among queued instances.
    sa.Column("ready_at", sa.BigInteger, nullable=True),
    # When the engine must next act on its own: a sleep ends, a retry is due, an event wait
    # times out, or a worker's lease expires.
    sa.Column("due_at", sa.BigInteger, nullable=True),
    sa.Column("lease_token", sa.BigInteger, nullable=True),
    sa.Column("lease_worker", sa.String(100), nullable=True),
    sa.Column("current_step", sa.String(200), nullable=True),
    sa.Column("history_seq", sa.Integer, nullable=False),
    sa.Column("dispatches", sa.Integer, nullable=False),
    # Kept this long once complete (microseconds), or error_retention_us once errored or
    # terminated (NULL: retention_us), then purged at expires_at.
    sa.Column("retention_us", sa.BigInteger, nullable=False, server_default="2592000000000"),
    sa.Column("error_retention_us", sa.BigInteger, nullable=True),
    sa.Column("expires_at", sa.BigInteger, nullable=True),
    # The W3C traceparent of the call that created the instance, if it was traced: every run
    # and step of the instance joins that trace.
    sa.Column("trace_parent", sa.String(64), nullable=True),
    # Bytes of the instance's recorded state (params, step results and failures, events), kept
    # up to date by every write: checked against the account's max_instance_state_bytes.
    sa.Column("state_bytes", sa.BigInteger, nullable=False, server_default="0"),
    # Its rollback (shards.core.rollbacks): rolling_back, rolled_back or rollback_failed, NULL
    # when it never rolled back; the step whose rollback failed, and that rollback's error.
    sa.Column("rollback", sa.String(16), nullable=True),
    sa.Column("rollback_step", sa.String(200), nullable=True),
    sa.Column("rollback_step_seq", sa.Integer, nullable=True),
    sa.Column("rollback_error_type", sa.String(200), nullable=True),
    sa.Column("rollback_error_message", sa.Text, nullable=True),
    # A child workflow's parent, as JSON (shards.core.children.ParentRef); NULL for others.
    sa.Column("parent", sa.Text, nullable=True),
    # Children this instance started (the max_children_per_instance quota).
    sa.Column("children", sa.Integer, nullable=False, server_default="0"),
    # The build of worker code the instance runs on, set when its first task is handed out
    # ("" for unversioned workers); NULL until then (docs/versioning.md).
    sa.Column("build_id", sa.String(100), nullable=True),
    # While a run could not follow its journal: the non-determinism met, as JSON; the
    # instance waits for another build (shards.core.versions).
    sa.Column("blocked", sa.Text, nullable=True),
    sa.UniqueConstraint("account_id", "workflow", "instance_id", name="uq_instances_key"),
    sa.Index("ix_instances_due", "due_at"),
    sa.Index("ix_instances_status", "partition", "status", "ready_at"),
    sa.Index("ix_instances_expires", "expires_at"),
    # Listings, newest first, by account and by workflow.
    sa.Index("ix_instances_account_created", "account_id", "created_at", "uid"),
    sa.Index("ix_instances_workflow_created", "account_id", "workflow", "created_at", "uid"),
)

steps = sa.Table(
    "steps",
    metadata,
    sa.Column("partition", sa.Integer, primary_key=True),
    sa.Column("uid", sa.String(32), primary_key=True),
    sa.Column("name", sa.String(200), primary_key=True),
    sa.Column("seq", sa.Integer, primary_key=True),
    sa.Column("kind", sa.String(16), nullable=False),
    sa.Column("state", sa.String(16), nullable=False),
    sa.Column("attempts", sa.Integer, nullable=False),
    sa.Column("result", sa.LargeBinary, nullable=True),
    sa.Column("error_type", sa.String(200), nullable=True),
    sa.Column("error_message", sa.Text, nullable=True),
    sa.Column("wake_at", sa.BigInteger, nullable=True),
    sa.Column("event_type", sa.String(100), nullable=True),
    sa.Column("started_at", sa.BigInteger, nullable=False),
    sa.Column("ended_at", sa.BigInteger, nullable=True),
    # While a DO step's attempt runs (state "running"): when it started, by the shard's clock,
    # and the task lease it runs under. A step's rollback (kind "rollback") is the row with the
    # step's name and seq -seq.
    sa.Column("attempt_started_at", sa.BigInteger, nullable=True),
    sa.Column("attempt_lease", sa.BigInteger, nullable=True),
)

# The task of each CALL step not finished yet: the attempt that runs on a step worker now, or the
# next one (ready on its step task queue, or waiting for its retry time). Deleted when the call
# succeeds or fails for good, and with its instance's end or restart.
step_tasks = sa.Table(
    "step_tasks",
    metadata,
    sa.Column("partition", sa.Integer, primary_key=True),
    sa.Column("uid", sa.String(32), primary_key=True),
    sa.Column("name", sa.String(200), primary_key=True),
    sa.Column("seq", sa.Integer, primary_key=True),
    sa.Column("account_id", sa.String(32), nullable=False),
    sa.Column("task_queue", sa.String(100), nullable=False),
    sa.Column("step_type", sa.String(100), nullable=False),
    sa.Column("input", sa.LargeBinary, nullable=False),
    # The attempt running now, or the next one to run, from 1.
    sa.Column("attempt", sa.Integer, nullable=False),
    # ready (on its queue), running (leased to a step worker) or backoff (until due_at).
    sa.Column("state", sa.String(16), nullable=False),
    sa.Column("scheduled_at", sa.BigInteger, nullable=False),
    # Order of dispatch among ready tasks.
    sa.Column("ready_at", sa.BigInteger, nullable=True),
    # running: when the attempt times out (its timeout, or its heartbeat deadline, whichever is
    # first); backoff: when the retry is due.
    sa.Column("due_at", sa.BigInteger, nullable=True),
    sa.Column("lease_token", sa.BigInteger, nullable=True),
    sa.Column("lease_worker", sa.String(100), nullable=True),
    sa.Column("attempt_started_at", sa.BigInteger, nullable=True),
    # The last heartbeat's details, JSON: handed to later attempts.
    sa.Column("details", sa.LargeBinary, nullable=True),
    # The call's retry policy and timeouts (microseconds), stored: the shard enforces them.
    sa.Column("retry_limit", sa.Integer, nullable=False),
    sa.Column("retry_delay_us", sa.BigInteger, nullable=False),
    sa.Column("retry_backoff", sa.String(16), nullable=False),
    sa.Column("retry_max_delay_us", sa.BigInteger, nullable=True),
    sa.Column("timeout_us", sa.BigInteger, nullable=False),
    sa.Column("heartbeat_timeout_us", sa.BigInteger, nullable=True),
    # The W3C traceparent of the ScheduleCall (the run that asked for the call), if traced.
    sa.Column("trace_parent", sa.String(64), nullable=True),
    sa.Index("ix_step_tasks_due", "due_at"),
    sa.Index("ix_step_tasks_state", "partition", "state", "ready_at"),
)

events = sa.Table(
    "events",
    metadata,
    sa.Column("partition", sa.Integer, primary_key=True),
    sa.Column("uid", sa.String(32), primary_key=True),
    sa.Column("id", sa.String(32), primary_key=True),
    sa.Column("type", sa.String(100), nullable=False),
    sa.Column("payload", sa.LargeBinary, nullable=False),
    sa.Column("received_at", sa.BigInteger, nullable=False),
    # The order of arrival among the instance's events: the seq of the history entry that
    # recorded the receipt (0 for events received before the column existed).
    sa.Column("seq", sa.Integer, nullable=False, server_default="0"),
    # "name#seq" of the step that took the event; NULL while buffered.
    sa.Column("consumed_by", sa.String(220), nullable=True),
)

history = sa.Table(
    "history",
    metadata,
    sa.Column("partition", sa.Integer, primary_key=True),
    sa.Column("uid", sa.String(32), primary_key=True),
    sa.Column("seq", sa.Integer, primary_key=True),
    sa.Column("at", sa.BigInteger, nullable=False),
    sa.Column("kind", sa.String(32), nullable=False),
    sa.Column("step_name", sa.String(200), nullable=True),
    sa.Column("step_seq", sa.Integer, nullable=True),
    sa.Column("attempt", sa.Integer, nullable=True),
    # JSON object with the rest: error type and message, wake time, worker, ...
    sa.Column("detail", sa.Text, nullable=True),
)

# Schedules (shards/core/schedules.py). The partition is partition_of(account_id, "",
# schedule_id): no instance has an empty workflow, so a schedule never shares a key with one.
schedules = sa.Table(
    "schedules",
    metadata,
    sa.Column("partition", sa.Integer, primary_key=True),
    sa.Column("account_id", sa.String(32), primary_key=True),
    sa.Column("schedule_id", sa.String(80), primary_key=True),
    # The spec, JSON: cron (expression, time zone) or interval (every, offset), start, end and
    # jitter, in microseconds.
    sa.Column("spec", sa.Text, nullable=False),
    # The action: the instance each fire creates.
    sa.Column("workflow", sa.String(100), nullable=False),
    sa.Column("params", sa.LargeBinary, nullable=False),
    # Empty: the workflow's task queue when the fire creates its instance.
    sa.Column("task_queue", sa.String(100), nullable=False),
    # NULL: the account's retention.
    sa.Column("retention_us", sa.BigInteger, nullable=True),
    # The policy: skip, bufferOne, allowAll or terminatePrevious; the catch-up window.
    sa.Column("overlap", sa.String(24), nullable=False),
    sa.Column("catchup_window_us", sa.BigInteger, nullable=False),
    sa.Column("paused", sa.Boolean, nullable=False),
    sa.Column("note", sa.Text, nullable=False),
    # The scheduled time of the next fire (NULL while paused or past the spec's end), and when
    # the shard's timer next acts on the row: the next fire's time plus its jitter, or sooner
    # the retry of a buffered fire.
    sa.Column("next_fire_at", sa.BigInteger, nullable=True),
    sa.Column("due_at", sa.BigInteger, nullable=True),
    # The workflow and id of the latest fire's instance, whose status the overlap policy reads;
    # the scheduled time of the fire waiting in the buffer.
    sa.Column("last_workflow", sa.String(100), nullable=True),
    sa.Column("last_instance_id", sa.String(100), nullable=True),
    sa.Column("buffered_at", sa.BigInteger, nullable=True),
    # The 10 most recent runs, newest first, JSON:
    # [[scheduled_at, created_at, instance_id, workflow], ...].
    sa.Column("recent_runs", sa.Text, nullable=False),
    sa.Column("fired", sa.BigInteger, nullable=False),
    sa.Column("skipped", sa.BigInteger, nullable=False),
    sa.Column("missed", sa.BigInteger, nullable=False),
    sa.Column("created_at", sa.BigInteger, nullable=False),
    sa.Column("updated_at", sa.BigInteger, nullable=False),
    # An account's schedules by id (ListSchedules, the max_schedules quota).
    sa.UniqueConstraint("account_id", "schedule_id", name="uq_schedules_key"),
    sa.Index("ix_schedules_due", "partition", "due_at"),
)

# Cluster membership: each shard server's row, renewed by its heartbeat. The heartbeat renews
# every partition lease the member holds at once: they are valid until lease_until.
members = sa.Table(
    "members",
    metadata,
    sa.Column("id", sa.String(64), primary_key=True),
    # HOST:PORT where gateways reach the shard server.
    sa.Column("address", sa.String(200), nullable=False),
    sa.Column("started_at", sa.BigInteger, nullable=False),
    sa.Column("heartbeat_at", sa.BigInteger, nullable=False),
    sa.Column("lease_until", sa.BigInteger, nullable=False),
)

# One row per partition: who holds it, and with which epoch. The epoch grows by one at each
# change of owner, and every write for the partition checks it in the same transaction
# (fencing). The lease lasts while its owner's member row is renewed (members.lease_until), so
# a heartbeat touches one row, not one per partition, and these rows change only when a
# partition moves.
partition_leases = sa.Table(
    "partition_leases",
    metadata,
    sa.Column("partition", sa.Integer, primary_key=True),
    sa.Column("owner", sa.String(64), nullable=True),
    sa.Column("epoch", sa.BigInteger, nullable=False),
    # When the current epoch began (0 for a partition never owned).
    sa.Column("taken_at", sa.BigInteger, nullable=False),
)

# Live gateways, each renewed by its heartbeat: account rates are split among them.
gateways = sa.Table(
    "gateways",
    metadata,
    sa.Column("id", sa.String(64), primary_key=True),
    sa.Column("address", sa.String(200), nullable=False),
    sa.Column("heartbeat_at", sa.BigInteger, nullable=False),
    sa.Column("lease_until", sa.BigInteger, nullable=False),
)

# Calls and creations each account had refused, by quota, added up over every server since the
# account was created (servers add theirs every second or so).
rejections = sa.Table(
    "rejections",
    metadata,
    sa.Column("account_id", sa.String(32), primary_key=True),
    sa.Column("quota", sa.String(64), primary_key=True),
    sa.Column("count", sa.BigInteger, nullable=False),
)

# The children an instance started, one row per CHILD step of the parent, in the parent's
# partition: what describe shows and what the parent's end terminates (docs/child-workflows.md).
child_links = sa.Table(
    "child_links",
    metadata,
    sa.Column("partition", sa.Integer, primary_key=True),
    sa.Column("uid", sa.String(32), primary_key=True),
    sa.Column("name", sa.String(200), primary_key=True),
    sa.Column("seq", sa.Integer, primary_key=True),
    sa.Column("workflow", sa.String(100), nullable=False),
    sa.Column("instance_id", sa.String(100), nullable=False),
    sa.Column("parent_close", sa.String(16), nullable=False),
    sa.Column("wait", sa.Boolean, nullable=False),
    # The child's final status once its end was delivered here; NULL before.
    sa.Column("status", sa.String(16), nullable=True),
    sa.Column("started_at", sa.BigInteger, nullable=False),
)

# Messages about child workflows waiting to be delivered to the owner of their target
# partition, written in the sender's transaction, in the sender's partition; deleted once
# delivered (shards/engine/children.py).
outbox = sa.Table(
    "outbox",
    metadata,
    sa.Column("partition", sa.Integer, primary_key=True),
    sa.Column("id", sa.String(32), primary_key=True),
    sa.Column("account_id", sa.String(32), nullable=False),
    sa.Column("kind", sa.String(16), nullable=False),
    # The target instance's key.
    sa.Column("workflow", sa.String(100), nullable=False),
    sa.Column("instance_id", sa.String(100), nullable=False),
    sa.Column("body", sa.LargeBinary, nullable=False),
    sa.Column("created_at", sa.BigInteger, nullable=False),
    # When the next try is due, and how many failed.
    sa.Column("next_at", sa.BigInteger, nullable=False),
    sa.Column("attempts", sa.Integer, nullable=False),
    sa.Index("ix_outbox_due", "partition", "next_at"),
)
