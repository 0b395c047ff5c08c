"""WorkflowEnvironment: a real engine, a client and a worker in the test's own process."""

from __future__ import annotations

import asyncio
import contextlib
import tempfile
from collections.abc import AsyncIterator, Callable, Iterable
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from stepway._step import Step, wall_us
from stepway.client import Client, HistoryEvent, InstanceHandle, InstanceStatus, StepRecord
from stepway.step_worker import Handler, StepWorker
from stepway.testing._clock import SkippingClock
from stepway.testing._server import EmbeddedServer, start_server
from stepway.worker import Worker
from stepway.workflow import WorkflowDefinition, WorkflowEvent, seconds

# How often the environment looks whether anything can run, and how many looks in a row must
# find nothing before time jumps (a reply on its way between worker and engine is not idle).
IDLE_POLL_SECONDS = 0.002
IDLE_LOOKS = 3


@dataclass(frozen=True)
class _Mock:
    result: Any
    error: BaseException | None

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        if self.error is not None:
            raise self.error
        return self.result


class _MockingStep:
    """The workflow's `step`, with the environment's per-instance mocks put in front of do."""

    def __init__(self, step: Step, mocks: dict[str, _Mock]) -> None:
        self._step = step
        self._mocks = mocks

    def __getattr__(self, name: str) -> Any:
        return getattr(self._step, name)

    async def do(self, name: str, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        mock = self._mocks.get(name)
        return await self._step.do(name, fn if mock is None else mock, *args, **kwargs)


class InstanceProbe:
    """Short reads of one instance for assertions: its status, steps and history."""

    def __init__(self, client: Client, workflow: str, instance_id: str) -> None:
        self.client = client
        self.workflow = workflow
        self.id = instance_id

    async def status(self) -> InstanceStatus:
        """The instance's status now."""
        return (await self.client.status(self.workflow, self.id)).status

    async def steps(self) -> list[StepRecord]:
        """The instance's journal in run order."""
        return list((await self.client.describe(self.workflow, self.id)).steps or [])

    async def step(self, name: str, seq: int = 1) -> StepRecord:
        """The journal entry of step name (its seq-th occurrence); KeyError when it has none."""
        for record in await self.steps():
            if record.name == name and record.seq == seq:
                return record
        raise KeyError(f"instance {self.id} has no step {name!r} #{seq}")

    async def history(self) -> list[HistoryEvent]:
        """The instance's history in order."""
        return await self.client.history(self.workflow, self.id)

    async def history_types(self, step: str | None = None) -> list[str]:
        """The types of the history's entries in order ("step_failed", ...), of one step's
        entries when step is given."""
        return [e.type for e in await self.history() if step is None or e.step_name == step]

    async def wait_for_status(self, *statuses: str, timeout: float = 5.0) -> InstanceStatus:
        """Polls until the instance has one of statuses (wall-clock timeout)."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            status = await self.status()
            if status in statuses:
                return status
            if loop.time() > deadline:
                raise TimeoutError(f"instance {self.id} is {status}, not {statuses}")
            await asyncio.sleep(IDLE_POLL_SECONDS)


class WorkflowEnvironment:
    """A dev server (gateway and shard, the real engine, from the stepway-server package: see
    stepway.testing._server) on an SQLite file in a temporary directory, a Client of it and a
    Worker running the given workflows, in this process.

    With time_skipping, the engine and the worker read a SkippingClock: while a result is
    awaited and nothing can run, it jumps to the next timer (sleeps, retry delays, event-wait
    timeouts); `sleep` moves it by hand."""

    def __init__(
        self,
        server: EmbeddedServer,
        client: Client,
        clock: SkippingClock | None,
        task_queue: str,
    ) -> None:
        self.server = server
        self.client = client
        # Set by start, once the workflows are wrapped with this environment's mocks.
        self.worker: Worker
        self.clock = clock
        self.task_queue = task_queue
        self._mocks: dict[str, dict[str, _Mock]] = {}
        self._step_workers: dict[str, StepWorker] = {}
        self._handlers_running = 0
        self._skipper: asyncio.Task[None] | None = None

    @classmethod
    @contextlib.asynccontextmanager
    async def start(
        cls,
        workflows: Iterable[WorkflowDefinition],
        *,
        time_skipping: bool = True,
        task_queue: str = "default",
    ) -> AsyncIterator[WorkflowEnvironment]:
        """Starts the environment; everything stops when the block ends."""
        with tempfile.TemporaryDirectory(prefix="stepway-test-") as tmp:
            clock = SkippingClock() if time_skipping else None
            server = await start_server(f"sqlite:///{Path(tmp) / 'stepway.db'}", clock)
            try:
                client = await Client.connect(server.address, api_key=server.api_key)
                env: WorkflowEnvironment | None = None
                try:
                    env = cls(server, client, clock, task_queue)
                    env.worker = Worker(
                        client,
                        task_queue=task_queue,
                        workflows=[env._mocking(w) for w in workflows],
                        clock=clock or wall_us,
                    )
                    await env.worker.start()
                    if clock is not None:
                        env._skipper = asyncio.create_task(env._skip_loop(), name="stepway-skip")
                    yield env
                finally:
                    if env is not None:
                        await env._stop()
                    await client.close()
            finally:
                await server.stop()

    # ------------------------------------------------------------------ time

    def now(self) -> datetime:
        """The environment's time: virtual with time skipping, else the wall clock's."""
        us = self.clock.now_us() if self.clock is not None else wall_us()
        return datetime.fromtimestamp(us / 1_000_000, tz=UTC)

    async def sleep(self, duration: float | timedelta) -> None:
        """Moves the clock forward by duration, firing every timer due on the way in order
        and letting what it wakes run before the next one."""
        if self.clock is None:
            await asyncio.sleep(seconds(duration))
            return
        end = self.clock.now_us() + int(seconds(duration) * 1_000_000)
        await self._settle()
        while (nxt := self.clock.next_deadline()) is not None and nxt <= end:
            self.clock.advance_to(nxt)
            await self._settle()
        self.clock.advance_to(end)
        await self._settle()

    async def _settle(self, timeout: float = 10.0) -> None:
        """Waits until nothing can run (wall-clock timeout)."""
        loop = asyncio.get_running_loop()
        deadline, quiet = loop.time() + timeout, 0
        while quiet < IDLE_LOOKS and loop.time() < deadline:
            await asyncio.sleep(IDLE_POLL_SECONDS)
            quiet = quiet + 1 if self._idle() else 0

    def _idle(self) -> bool:
        """Nothing can run: no instance running or queued, no remote step ready or in hand (a
        step worker holds an attempt from the poll's answer until its report is answered, a
        window in which the server has no ready step and the handler may not run yet)."""
        return (
            self.server.idle()
            and self._handlers_running == 0
            and not any(w.running for w in self._step_workers.values())
        )

    def _awaited(self) -> bool:
        """Whether a client waits for an instance's result now (time skips only then)."""
        return self.server.awaits_results()

    async def _skip_loop(self) -> None:
        assert self.clock is not None
        quiet = 0
        while True:
            await asyncio.sleep(IDLE_POLL_SECONDS)
            quiet = quiet + 1 if self._awaited() and self._idle() else 0
            nxt = self.clock.next_deadline()
            if quiet >= IDLE_LOOKS and nxt is not None:
                self.clock.advance_to(nxt)
                quiet = 0

    # ------------------------------------------------------------------ mocks

    def mock_step(
        self,
        instance: InstanceHandle | str,
        step: str,
        *,
        result: Any = None,
        error: BaseException | None = None,
    ) -> None:
        """Makes every attempt of step.do(step, ...) of one instance return result (or raise
        error) instead of running its function; retries and the journal work as usual. Mock
        before the step runs: before creating the instance, by its id."""
        instance_id = instance.id if isinstance(instance, InstanceHandle) else instance
        self._mocks.setdefault(instance_id, {})[step] = _Mock(result, error)

    async def mock_step_type(self, task_queue: str, step_type: str, handler: Handler) -> None:
        """Serves a remote step type (step.call) of task_queue with handler(input, ctx), in
        a StepWorker of this environment."""
        worker = self._step_workers.get(task_queue)
        if worker is None:
            worker = StepWorker(self.client, task_queue=task_queue, clock=self.clock or wall_us)
            worker.add_handler(step_type, self._counted(handler))
            await worker.start()
            self._step_workers[task_queue] = worker
        else:
            worker.add_handler(step_type, self._counted(handler))

    def _counted(self, handler: Handler) -> Handler:
        """handler, counted while it runs: time does not skip under a remote step in hand."""

        async def run(data: Any, ctx: Any) -> Any:
            self._handlers_running += 1
            try:
                result = handler(data, ctx)
                if asyncio.iscoroutine(result):
                    result = await result
                return result
            finally:
                self._handlers_running -= 1

        return run

    def _mocking(self, definition: WorkflowDefinition) -> WorkflowDefinition:
        async def run(event: WorkflowEvent, step: Step) -> Any:
            mocks = self._mocks.get(event.instance_id)
            if not mocks:
                return await definition(event, step)
            return await definition(event, _MockingStep(step, mocks))  # type: ignore[arg-type]

        return replace(definition, fn=run)

    # ------------------------------------------------------------------ reading

    def instance(
        self, instance: InstanceHandle | str, workflow: str | None = None
    ) -> InstanceProbe:
        """Assertion helpers for an instance (a handle, or an id with its workflow)."""
        if isinstance(instance, InstanceHandle):
            return InstanceProbe(self.client, instance.workflow, instance.id)
        if workflow is None:
            raise ValueError("an instance named by id needs its workflow")
        return InstanceProbe(self.client, workflow, instance)

    async def send_event(self, instance: InstanceHandle, type: str, payload: Any = None) -> bool:
        """Sends an event to an instance, as a client would."""
        return await instance.send_event(type, payload)

    async def _stop(self) -> None:
        if self._skipper is not None:
            self._skipper.cancel()
            await asyncio.gather(self._skipper, return_exceptions=True)
        for step_worker in self._step_workers.values():
            await step_worker.stop()
        if hasattr(self, "worker"):
            await self.worker.stop()
