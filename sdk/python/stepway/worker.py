"""The worker: polls a task queue for workflow tasks and runs them.

Use it as an async context manager (`async with Worker(...)`) or call `run()` to serve until
cancelled. A worker keeps one long poll open at all times, so a worker that dies (even by
SIGKILL) drops its connection and the server hands its instances to another worker at once; a
worker that hangs loses its leases after the lease timeout.
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket
import traceback
import uuid
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import Any

from opentelemetry import trace

from stepway import __version__, _payload, tracing
from stepway._outbox import Outbox
from stepway._step import (
    MAX_FAILURE_TEXT_CHARS,
    MAX_PAYLOAD_BYTES,
    Step,
    _Abandoned,
    _NonDeterminism,
    _Suspended,
    chunks,
    failure_pb,
    wall_us,
)
from stepway._threads import BodyThreads
from stepway.client import Client
from stepway.errors import StepwayError
from stepway.v1 import common_pb2 as cpb
from stepway.v1 import worker_service_pb2 as wpb
from stepway.workflow import StepFailedError, WorkflowDefinition, WorkflowEvent

log = logging.getLogger("stepway.worker")

POLL_WAIT_SECONDS = 30.0


class Worker:
    """Runs the given workflows from a task queue, up to max_concurrent instances at a time.

    The threads of synchronous step bodies that timed out and still run count against
    max_concurrent until they return (see `abandoned_threads`).

    build_id names the build of this worker's code (docs/versioning.md): an instance runs on
    the build its first task ran on, new instances on the newest build registered. "" (the
    default) is unversioned."""

    def __init__(
        self,
        client: Client,
        *,
        task_queue: str = "default",
        workflows: Iterable[WorkflowDefinition],
        max_concurrent: int = 256,
        clock: Callable[[], int] = wall_us,
        build_id: str = "",
    ) -> None:
        self.client = client
        self.build_id = build_id
        # Microseconds since the epoch, for sleeps' and event waits' deadlines.
        self.clock = clock
        self.task_queue = task_queue
        self.workflows = {w.name: w for w in workflows}
        if not self.workflows:
            raise ValueError("a Worker needs at least one workflow")
        self.max_concurrent = max_concurrent
        self.id = uuid.uuid4().hex
        self._running: dict[bytes, asyncio.Task[None]] = {}
        self._capacity = asyncio.Event()
        self._threads = BodyThreads(on_end=self._capacity.set)
        self._outbox = Outbox(client)
        self._loops: list[asyncio.Task[None]] = []
        self._lease_timeout = 10.0
        # Stopping with a timeout: polls go on (the worker is alive) and give back what they get.
        self._draining = False

    @property
    def abandoned_threads(self) -> int:
        """Threads of timed-out synchronous step bodies that still run in this worker."""
        return len(self._threads)

    async def __aenter__(self) -> Worker:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    async def start(self) -> None:
        """Registers the workflows and starts polling."""
        for names in chunks(sorted(self.workflows)):
            request = wpb.RegisterWorkerRequest(
                worker_id=self.id,
                task_queue=self.task_queue,
                workflows=names,
                identity=f"{socket.gethostname()}/pid-{os.getpid()}"[:200],
                sdk=f"python/{__version__}",
                build_id=self.build_id,
            )
            for name in names:
                _workflow_options(self.workflows[name], request)
            resp = await self.client.call(self.client.workers.RegisterWorker, request)
            if resp.HasField("lease_timeout"):
                self._lease_timeout = resp.lease_timeout.ToMicroseconds() / 1_000_000
        self._loops = [
            asyncio.create_task(self._poll_loop(), name=f"stepway-worker-poll-{self.id[:8]}"),
            asyncio.create_task(self._heartbeat_loop(), name=f"stepway-worker-hb-{self.id[:8]}"),
        ]

    async def run(self) -> None:
        """Starts and serves until cancelled."""
        await self.start()
        await self.serve()

    async def serve(self) -> None:
        """Serves, once started, until cancelled; then stops (gives its tasks back)."""
        try:
            await asyncio.gather(*self._loops)
        finally:
            await self.stop()

    async def drain(self, timeout: float | None = None) -> None:
        """Waits until the worker holds no task (it goes on polling); TimeoutError after
        timeout seconds."""
        loop = asyncio.get_running_loop()
        deadline = None if timeout is None else loop.time() + timeout
        while self._running:
            remaining = None if deadline is None else deadline - loop.time()
            if remaining is not None and remaining <= 0:
                raise TimeoutError(f"{len(self._running)} task(s) still running after {timeout} s")
            await asyncio.wait(list(self._running.values()), timeout=remaining)

    async def stop(self, timeout: float = 0.0) -> None:
        """Stops polling, gives back the tasks in flight so other workers take them, and returns.

        With a timeout, the runs in flight first go on for up to that many seconds (heartbeats
        too), so that they complete, fail or suspend on their own (a sleep, an event wait, a
        remote step): a rolling restart then cuts no step short and no step body runs again
        elsewhere. Meanwhile the worker keeps one poll open, since a worker whose last poll
        ends counts as gone and loses its tasks at once, and gives back at once any task it
        answers. The runs still going after it are cancelled and their tasks given back."""
        if timeout > 0 and self._running:
            self._draining = True
            await asyncio.wait(list(self._running.values()), timeout=timeout)
        for loop in self._loops:
            loop.cancel()
        await asyncio.gather(*self._loops, return_exceptions=True)
        self._loops = []
        tokens = list(self._running)
        for task in self._running.values():
            task.cancel()
        await asyncio.gather(*self._running.values(), return_exceptions=True)
        await self._outbox.close()
        if tokens:
            await self._give_back(tokens)

    async def _poll_loop(self) -> None:
        backoff = 0.1
        while True:
            free = self.max_concurrent - len(self._running) - len(self._threads)
            if free <= 0:
                self._capacity.clear()
                await self._capacity.wait()
                continue
            request = wpb.PollWorkflowTasksRequest(
                worker_id=self.id,
                task_queue=self.task_queue,
                max_tasks=1 if self._draining else min(free, 100),
                build_id=self.build_id,
            )
            request.wait.FromMicroseconds(int(POLL_WAIT_SECONDS * 1_000_000))
            try:
                resp = await self.client.call(
                    self.client.workers.PollWorkflowTasks, request, timeout=POLL_WAIT_SECONDS + 20
                )
            except StepwayError as exc:
                log.warning("poll failed (%s); retrying in %.1f s", exc, backoff)
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, 2.0)
                continue
            backoff = 0.1
            if self._draining:
                await self._give_back([task.task_token for task in resp.tasks])
                continue
            for task in resp.tasks:
                self._running[task.task_token] = asyncio.create_task(
                    self._run_task(task), name=f"stepway-run-{task.instance_id}"
                )

    async def _heartbeat_loop(self) -> None:
        while True:
            await asyncio.sleep(self._lease_timeout / 3)
            # At most MAX_ITEMS_PER_CALL tokens a call, the calls at once.
            parts = chunks(list(self._running))
            answers = await asyncio.gather(*(self._heartbeat(part) for part in parts))
            for token in (t for lost in answers for t in lost):
                task = self._running.get(token)
                if task is not None:
                    log.info("lease lost; abandoning %s", task.get_name())
                    task.cancel()

    async def _heartbeat(self, tokens: list[bytes]) -> list[bytes]:
        """Extends the leases of tokens; answers the ones lost (none when the call failed)."""
        try:
            resp = await self.client.call(
                self.client.workers.HeartbeatTasks,
                wpb.HeartbeatTasksRequest(worker_id=self.id, task_tokens=tokens),
                timeout=self._lease_timeout / 3,
            )
        except StepwayError as exc:
            log.warning("heartbeat failed: %s", exc)
            return []
        return list(resp.lost_task_tokens)

    async def _run_task(self, task: wpb.WorkflowTask) -> None:
        try:
            whole = await self._whole_journal(task)
            if whole is not None:
                await self._execute(whole)
        except asyncio.CancelledError:
            pass
        except Exception:
            log.exception("workflow task of %s failed unexpectedly", task.instance_id)
        finally:
            self._running.pop(task.task_token, None)
            self._capacity.set()

    async def _whole_journal(self, task: wpb.WorkflowTask) -> wpb.WorkflowTask | None:
        """The task with its whole journal: a large journal comes in pages, each read with
        GetTaskJournal before the replay starts. None when a page could not be read: the task
        is given back at once, for this worker's next poll or another worker."""
        if not task.next_journal_page_token:
            return task
        whole = wpb.WorkflowTask()
        whole.CopyFrom(task)
        whole.next_journal_page_token = ""
        page_token = task.next_journal_page_token
        try:
            while page_token:
                resp = await self.client.call(
                    self.client.workers.GetTaskJournal,
                    wpb.GetTaskJournalRequest(task_token=task.task_token, page_token=page_token),
                    timeout=max(self._lease_timeout, 10.0),
                )
                whole.journal.extend(resp.journal)
                page_token = resp.next_page_token
        except StepwayError as exc:
            log.warning(
                "could not read the journal of %s (%s); giving it back", task.instance_id, exc
            )
            await self._give_back([task.task_token])
            return None
        return whole

    async def _give_back(self, tokens: list[bytes]) -> None:
        """Releases tasks, in calls of at most the server's limit of tokens."""
        for part in chunks(tokens):
            try:
                await self.client.call(
                    self.client.workers.ReleaseTasks,
                    wpb.ReleaseTasksRequest(worker_id=self.id, task_tokens=part),
                    timeout=5,
                )
            except StepwayError as exc:
                log.warning("could not give back %d task(s): %s", len(part), exc)

    async def _execute(self, task: wpb.WorkflowTask) -> None:
        """Runs one workflow task in a span of its own, a child of the instance's creating
        call (task.trace_parent), so that every run of the instance joins that trace."""
        attributes = {
            **tracing.instance_attributes(task.account_id, task.workflow, task.instance_id),
            "stepway.worker_id": self.id,
            "stepway.replayed_steps": len(task.journal),
        }
        with tracing.span(
            f"stepway.run {task.workflow}",
            task.trace_parent or None,
            attributes,
            trace.SpanKind.CONSUMER,
        ) as span:
            await self._run_workflow(task, span)

    async def _run_workflow(self, task: wpb.WorkflowTask, span: trace.Span) -> None:
        definition = self.workflows.get(task.workflow)
        token = task.task_token
        if definition is None:
            span.set_attribute("stepway.outcome", "failed")
            tracing.fail(span, None, f"UnknownWorkflow: {task.workflow}")
            await self._finish_failed(
                token,
                "UnknownWorkflow",
                f"this worker does not define workflow {task.workflow!r}",
                "",
            )
            return
        try:
            params = _payload.loads(task.params.data)
        except ValueError as exc:
            # Stored before the server held payloads to strict JSON: every run would fail so.
            span.set_attribute("stepway.outcome", "failed")
            tracing.fail(span, exc)
            message = f"the instance's params are not strict JSON: {exc}"
            await self._finish_failed(token, "InvalidParams", message, "")
            return
        event = WorkflowEvent(
            params=params,
            instance_id=task.instance_id,
            workflow=task.workflow,
            timestamp=_payload.to_datetime(task.created_at) or datetime.now(UTC),
        )
        step = Step(
            self._outbox,
            token,
            task.workflow,
            task.instance_id,
            list(task.journal),
            task.account_id,
            self._threads,
            self.clock,
        )
        try:
            output = await definition(event, step)
        except _Suspended as exc:
            span.set_attributes({"stepway.outcome": "suspended", "stepway.suspended_on": exc.on})
            return
        except _NonDeterminism as exc:
            span.set_attributes({"stepway.outcome": "blocked", "stepway.reason": str(exc)})
            log.warning("instance %s: %s; it waits for another build", task.instance_id, exc)
            found = cpb.NonDeterminism(
                step_name=exc.name,
                step_seq=exc.seq,
                recorded_kind=exc.recorded,  # type: ignore[arg-type]
                requested_kind=exc.requested,  # type: ignore[arg-type]
                message=str(exc)[:MAX_FAILURE_TEXT_CHARS],
                build_id=self.build_id,
            )
            await self._finish(
                "fail_workflow",
                wpb.FailWorkflowRequest(task_token=token, non_determinism=found),
            )
            return
        except _Abandoned as exc:
            span.set_attributes({"stepway.outcome": "abandoned", "stepway.reason": str(exc)})
            log.info("instance %s: %s; dropping its task", task.instance_id, exc)
            return
        except StepFailedError as exc:
            span.set_attribute("stepway.outcome", "failed")
            tracing.fail(span, exc)
            await self._run_failed(step, task, exc.error_type, exc.error_message, str(exc))
            return
        except Exception as exc:
            span.set_attribute("stepway.outcome", "failed")
            tracing.fail(span, exc)
            details = traceback.format_exc()
            await self._run_failed(step, task, type(exc).__name__, str(exc), details)
            return
        try:
            data = _payload.dumps(output)
        except (TypeError, ValueError) as exc:
            span.set_attribute("stepway.outcome", "failed")
            tracing.fail(span, exc)
            await self._finish_failed(
                token, "OutputNotSerializable", f"the workflow's output is not JSON: {exc}", ""
            )
            return
        if len(data) > MAX_PAYLOAD_BYTES:
            message = (
                f"the workflow's output is {len(data)} bytes; "
                f"the limit is {MAX_PAYLOAD_BYTES} bytes (1 MiB)"
            )
            span.set_attribute("stepway.outcome", "failed")
            tracing.fail(span, None, f"OutputTooLarge: {message}")
            await self._finish_failed(token, "OutputTooLarge", message, "")
            return
        span.set_attribute("stepway.outcome", "completed")
        await self._finish(
            "complete_workflow",
            wpb.CompleteWorkflowRequest(task_token=token, output=cpb.Payload(data=data)),
        )

    async def _run_failed(
        self, step: Step, task: wpb.WorkflowTask, error_type: str, message: str, details: str
    ) -> None:
        """The workflow raised: the instance rolls back when a step that succeeded declared a
        rollback (docs/rollbacks.md), and ends errored."""
        if not step.has_rollbacks:
            await self._finish_failed(task.task_token, error_type, message, details)
            return
        try:
            await step._roll_back(failure_pb(error_type, message, details))
        except _Suspended:
            return
        except _Abandoned as exc:
            log.info("instance %s: %s; dropping its task", task.instance_id, exc)

    async def _finish_failed(
        self, token: bytes, error_type: str, message: str, details: str
    ) -> None:
        request = wpb.FailWorkflowRequest(
            task_token=token,
            error=failure_pb(error_type, message, details),
        )
        await self._finish("fail_workflow", request)

    async def _finish(self, kind: str, request: Any) -> None:
        try:
            await self._outbox.send(kind, request)
        except StepwayError as exc:
            log.info("result refused (%s); the instance moved on", exc)


def _workflow_options(definition: WorkflowDefinition, request: wpb.RegisterWorkerRequest) -> None:
    """Adds the workflow's retentions to a registration, when it has any."""
    if definition.success_retention is None and definition.error_retention is None:
        return
    options = request.workflow_options.add(workflow=definition.name)
    for field, value in (
        ("success_retention", definition.success_retention),
        ("error_retention", definition.error_retention),
    ):
        if value is not None:
            getattr(options, field).FromMicroseconds(int(value * 1_000_000))
