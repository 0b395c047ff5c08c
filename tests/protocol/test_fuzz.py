"""Fuzz: requests of every method of the three public services, generated from their protobuf
descriptors, sent over real gRPC to a live dev server on each backend.

Values are random, out of range (integer bounds, Timestamps past year 9999, negative nanos),
oversized (strings and payloads past their limits, lists of thousands of items, all within the
64 MiB transport limit), deeply nested or not-quite JSON (NaN, a BOM, duplicate keys, a lone
surrogate), unknown enum values, and task tokens taken from a real poll, altered or forged, so
that calls get past the first checks. The fuzzed caller is a tenant admin key of an account of
its own; the dev server's operator account is left alone, to check on the server.

Guarantees checked: no answer (nor item of a batch answer) is INTERNAL or UNKNOWN; every
refusal (and refused item) carries an ErrorInfo whose reason the error table gives its code; a
non-polling call answers within STALL_SECONDS; after every batch of examples the server
answers a health check and a small create in the operator account within PROBE_SECONDS; and
afterwards every instance still reads (GetInstance with its steps, GetHistory).

    .venv/bin/python -m pytest tests/protocol/test_fuzz.py -q  # CI-sized
    STEPWAY_FUZZ_EXAMPLES=20000 .venv/bin/python -m pytest tests/protocol/test_fuzz.py -q  # longer

A failure lists each distinct defect once (method, answer, and the server's exception for an
INTERNAL), with the smallest request that showed it.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import logging
import os
import threading
import time
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import grpc
import pytest
from google.protobuf import descriptor as d
from google.protobuf.message import Message
from google.protobuf.message_factory import GetMessageClass
from google.rpc import error_details_pb2, status_pb2
from grpc_health.v1 import health_pb2, health_pb2_grpc
from hypothesis import HealthCheck, Phase, given, settings

from gateway.dev import DevServer
from shards.rpc import CHANNEL_OPTIONS, STATUS_DETAILS_KEY
from stepway.errors import BY_REASON
from stepway.v1 import admin_service_pb2 as apb
from stepway.v1 import schedule_service_pb2 as spb
from stepway.v1 import worker_service_pb2 as wpb
from stepway.v1 import workflow_service_pb2 as fpb
from tests.fuzz_requests import Known, Strategies

CAMPAIGN = os.environ.get("STEPWAY_FUZZ_EXAMPLES")
EXAMPLES = int(CAMPAIGN or 400)

SERVICES = (
    (fpb, "WorkflowService"),
    (wpb, "WorkerService"),
    (spb, "ScheduleService"),
    (apb, "AdminService"),
)
METHODS: list[tuple[str, d.MethodDescriptor]] = [
    (service, method)
    for module, service in SERVICES
    for method in module.DESCRIPTOR.services_by_name[service].methods
]
# Calls that may wait for something to happen: running into the client's deadline is fine.
WAITING = frozenset({"PollWorkflowTasks", "PollStepTasks", "WaitInstance", "WatchHistory"})
WAIT_SECONDS = 1.0
# Any other call must answer within this time, whatever its request.
STALL_SECONDS = 15.0
# Examples between two checks that the server still serves the operator account.
BATCH = 25
PROBE_SECONDS = 5.0
BAD = {grpc.StatusCode.INTERNAL, grpc.StatusCode.UNKNOWN}
BAD_CODES = {c.value[0] for c in BAD}
# Codes only the server's own refusals carry (not gRPC's transport): each answer of one must
# hold an ErrorInfo whose reason is a stepway.v1.ErrorReason of that code.
REFUSALS = {
    c.value[0]
    for c in (
        grpc.StatusCode.INVALID_ARGUMENT,
        grpc.StatusCode.NOT_FOUND,
        grpc.StatusCode.ALREADY_EXISTS,
        grpc.StatusCode.FAILED_PRECONDITION,
        grpc.StatusCode.PERMISSION_DENIED,
        grpc.StatusCode.UNAUTHENTICATED,
    )
}


def unexplained(status: status_pb2.Status) -> str | None:
    """What is wrong with a refusal's google.rpc.Status: no ErrorInfo reason, one the table does
    not have, or one of another code; None when nothing is."""
    if status.code not in REFUSALS:
        return None
    infos = [d for d in status.details if d.Is(error_details_pb2.ErrorInfo.DESCRIPTOR)]
    if len(infos) != 1:
        return f"code {status.code} with {len(infos)} ErrorInfo details"
    info = error_details_pb2.ErrorInfo()
    infos[0].Unpack(info)
    cls = BY_REASON.get(info.reason)
    if cls is None or cls.code is None or cls.code.value[0] != status.code:
        return f"code {status.code} with reason {info.reason!r}"
    return None


# ---------------------------------------------------------------- calling the server


@dataclass
class Defect:
    method: str
    answer: str
    request: Message

    def shown(self) -> str:
        return f"{self.method}: {self.answer}\n    request: {brief(self.request)}"


def brief(msg: Message) -> str:
    """A message on one line, long values cut short with their size."""
    parts = []
    for fd, value in msg.ListFields():
        if fd.is_repeated:
            items = list(value)
            shown = ", ".join(_brief_value(v) for v in items[:3])
            more = f", ... {len(items)} items" if len(items) > 3 else ""
            parts.append(f"{fd.name}=[{shown}{more}]")
        else:
            parts.append(f"{fd.name}={_brief_value(value)}")
    return "{" + " ".join(parts) + "}"


def _brief_value(value: Any) -> str:
    if isinstance(value, Message):
        return brief(value)
    text = repr(value)
    return text if len(text) <= 80 else f"{text[:60]}...({len(value)} long)"


class Internals(logging.Handler):
    """Collects the server's log of each INTERNAL answer: incident id → exception, innermost
    frame first."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.by_incident: dict[str, str] = {}
        self._lock = threading.Lock()

    def emit(self, record: logging.LogRecord) -> None:
        if not str(record.msg).startswith("internal error") or not record.exc_info:
            return
        exc = record.exc_info[1]
        assert exc is not None
        frames = traceback.extract_tb(exc.__traceback__)
        ours = [f for f in frames if "/site-packages/" not in f.filename] or frames
        where = f"{os.path.basename(ours[-1].filename)}:{ours[-1].lineno}" if ours else "?"
        incident = str(record.args[0]) if isinstance(record.args, tuple) else "?"
        with self._lock:
            self.by_incident[incident] = f"{type(exc).__name__} at {where}: {str(exc)[:160]}"


class Fuzzer:
    """Sends generated requests with the fuzzed account's key and keeps what went wrong."""

    def __init__(self, address: str, operator_key: str) -> None:
        self.channel = grpc.insecure_channel(address, options=CHANNEL_OPTIONS)
        self.operator = (("authorization", f"Bearer {operator_key}"),)
        self.key = ""
        self.known = Known()
        self.defects: dict[tuple[str, str], Defect] = {}
        self.internals = Internals()
        self.calls = itertools.count()
        self.answers: dict[str, int] = {}

    def close(self) -> None:
        self.channel.close()

    def stub(self, service: str, method: d.MethodDescriptor) -> Callable[..., Any]:
        path = f"/stepway.v1.{service}/{method.name}"
        out = GetMessageClass(method.output_type)
        serialize: Callable[[Message], bytes] = lambda m: m.SerializeToString()  # noqa: E731
        if method.server_streaming:
            return self.channel.unary_stream(path, serialize, out.FromString)
        return self.channel.unary_unary(path, serialize, out.FromString)

    def call(self, service: str, name: str, request: Message, *, key: str | None = None) -> Any:
        """A call that must succeed (setting up, probing)."""
        module = {s: m for m, s in SERVICES}[service]
        method = module.DESCRIPTOR.services_by_name[service].methods_by_name[name]
        metadata = self.operator if key is None else (("authorization", f"Bearer {key}"),)
        return self.stub(service, method)(request, metadata=metadata, timeout=PROBE_SECONDS)

    # -------------------------------------------------------------- setting up

    def prepare(self) -> None:
        """An account of the fuzzer's own with a tenant admin key, a registered workflow,
        instances, real workflow and step task tokens, and a schedule."""
        self.call("AdminService", "CreateAccount", apb.CreateAccountRequest(name="fuzz"))
        self.new_key()
        self.reset_quotas()
        self.call(
            "WorkerService",
            "RegisterWorker",
            wpb.RegisterWorkerRequest(worker_id="fuzz-w", task_queue="q", workflows=["wf", "wf2"]),
            key=self.key,
        )
        for n, instance_id in enumerate(self.known.instances):
            request = fpb.CreateInstanceRequest(workflow="wf", instance_id=instance_id)
            request.params.data = json.dumps({"n": n}).encode()
            self.call("WorkflowService", "CreateInstance", request, key=self.key)
        poll = wpb.PollWorkflowTasksRequest(worker_id="fuzz-w", task_queue="q", max_tasks=10)
        poll.wait.FromSeconds(2)
        tasks = self.call("WorkerService", "PollWorkflowTasks", poll, key=self.key).tasks
        assert tasks, "no workflow task to take tokens from"
        self.known.tokens = [t.task_token for t in tasks]
        call = wpb.ScheduleCallRequest(
            task_token=tasks[0].task_token, name="call", seq=1, task_queue="steps", step_type="t"
        )
        call.input.data = b"{}"
        self.call("WorkerService", "ScheduleCall", call, key=self.key)
        poll_steps = wpb.PollStepTasksRequest(worker_id="fuzz-w", task_queue="steps", max_tasks=1)
        poll_steps.wait.FromSeconds(2)
        steps = self.call("WorkerService", "PollStepTasks", poll_steps, key=self.key).tasks
        self.known.tokens += [t.task_token for t in steps]
        # A schedule, so that generated ScheduleService calls find one.
        schedule = spb.CreateScheduleRequest(
            schedule_id="s0", action=spb.ScheduleAction(workflow="wf"), paused=True
        )
        schedule.spec.interval.every.FromSeconds(60)
        self.call("ScheduleService", "CreateSchedule", schedule, key=self.key)
        # The operator account's own workflow, for the probe.
        self.call(
            "WorkerService",
            "RegisterWorker",
            wpb.RegisterWorkerRequest(worker_id="probe-w", task_queue="probe", workflows=["probe"]),
        )

    def new_key(self) -> None:
        created = self.call(
            "AdminService",
            "CreateKey",
            apb.CreateKeyRequest(account="fuzz", role=apb.KEY_ROLE_ADMIN, name="fuzz"),
        )
        self.key = created.key
        self.known.key_ids.append(created.api_key.key_id)

    def reset_quotas(self) -> None:
        """Undoes what generated SetQuotas calls did to the fuzzed account, so that later
        examples are not all refused for a quota."""
        got = self.call("AdminService", "GetQuotas", apb.GetQuotasRequest(account="fuzz"))
        quotas = apb.Quotas()
        quotas.CopyFrom(got.defaults)
        quotas.creations_per_second = 1_000_000
        quotas.requests_per_second = 10_000_000
        self.call("AdminService", "SetQuotas", apb.SetQuotasRequest(account="fuzz", quotas=quotas))

    # -------------------------------------------------------------- fuzzing

    def send(self, service: str, method: d.MethodDescriptor, request: Message) -> None:
        """Sends one generated request; notes a bad or missing answer as a defect."""
        next(self.calls)
        waiting = method.name in WAITING
        timeout = WAIT_SECONDS if waiting else STALL_SECONDS
        metadata = (("authorization", f"Bearer {self.key}"),)
        stub = self.stub(service, method)
        started = time.monotonic()
        try:
            if method.server_streaming:
                for _ in itertools.islice(stub(request, metadata=metadata, timeout=timeout), 3):
                    pass
                answer = None
            else:
                answer = stub(request, metadata=metadata, timeout=timeout)
            code = grpc.StatusCode.OK
        except grpc.RpcError as err:
            code, details = err.code(), err.details() or ""
            answer = None
            status = status_pb2.Status(code=code.value[0])
            for item in err.trailing_metadata() or ():
                if item.key == STATUS_DETAILS_KEY and isinstance(item.value, bytes):
                    status = status_pb2.Status.FromString(item.value)
            problem = unexplained(status)
            if problem is not None:
                self.note(method.name, problem, request)
        self.answers[code.name] = self.answers.get(code.name, 0) + 1
        if code in BAD:
            self.note(method.name, f"{code.name} {self.explain(details)}", request)
        elif code is grpc.StatusCode.DEADLINE_EXCEEDED and not waiting:
            took = time.monotonic() - started
            self.note(method.name, f"no answer within {took:.0f} s", request)
        elif answer is not None:
            self.check_items(method.name, answer, request)

    def check_items(self, method: str, answer: Message, request: Message) -> None:
        """The items of a batch answer carry their own codes."""
        if isinstance(answer, wpb.RecordBatchResponse):
            assert isinstance(request, wpb.RecordBatchRequest)
            for n, result in enumerate(answer.results):
                if result.HasField("error") and (problem := unexplained(result.error)):
                    self.note(method, f"item {problem}", request)
                if result.HasField("error") and result.error.code in BAD_CODES:
                    kind = request.commands[n].WhichOneof("command")
                    what = (
                        f"item {kind} code {result.error.code} {self.explain(result.error.message)}"
                    )
                    self.note(method, what, request)
        if isinstance(answer, fpb.CreateInstancesResponse):
            for created in answer.results:
                if created.HasField("error") and (problem := unexplained(created.error)):
                    self.note(method, f"item {problem}", request)
                if created.HasField("error") and created.error.code in BAD_CODES:
                    what = f"item code {created.error.code} {self.explain(created.error.message)}"
                    self.note(method, what, request)

    def explain(self, details: str) -> str:
        """An INTERNAL answer's incident, looked up in the server's log."""
        for word in details.replace(";", " ").split():
            if word in self.internals.by_incident:
                return self.internals.by_incident[word]
        return details[:160]

    def note(self, method: str, answer: str, request: Message) -> None:
        key = (method, answer.split(": ")[0])
        seen = self.defects.get(key)
        if seen is None or request.ByteSize() < seen.request.ByteSize():
            self.defects[key] = Defect(method, answer, request)

    # -------------------------------------------------------------- between batches

    def probe(self) -> None:
        """The server still serves another account at once."""
        started = time.monotonic()
        health = health_pb2_grpc.HealthStub(self.channel)
        health.Check(health_pb2.HealthCheckRequest(), timeout=PROBE_SECONDS)
        probe = fpb.CreateInstanceRequest(workflow="probe")
        probe.params.data = b"{}"
        self.call("WorkflowService", "CreateInstance", probe)
        took = time.monotonic() - started
        assert took < PROBE_SECONDS, f"the server took {took:.1f} s to answer a probe"

    def restore(self) -> None:
        """Gives the fuzzed account its quotas and a working key again."""
        try:
            self.call("AdminService", "GetServerInfo", apb.GetServerInfoRequest(), key=self.key)
        except grpc.RpcError as err:
            if err.code() is not grpc.StatusCode.UNAUTHENTICATED:
                raise
            self.new_key()  # a generated RevokeKey revoked it
        self.reset_quotas()

    # -------------------------------------------------------------- afterwards

    def read_every_instance(self) -> int:
        """Every instance of both accounts still reads, with its steps and history."""
        count = 0
        for key in (self.key, None):
            token = ""
            while True:
                page = self.call(
                    "WorkflowService",
                    "ListInstances",
                    fpb.ListInstancesRequest(page_size=100, page_token=token),
                    key=key,
                )
                for inst in page.instances:
                    count += 1
                    for name, request in (
                        (
                            "GetInstance",
                            fpb.GetInstanceRequest(
                                workflow=inst.workflow,
                                instance_id=inst.instance_id,
                                include_steps=True,
                            ),
                        ),
                        (
                            "GetHistory",
                            fpb.GetHistoryRequest(
                                workflow=inst.workflow, instance_id=inst.instance_id
                            ),
                        ),
                    ):
                        try:
                            self.call("WorkflowService", name, request, key=key)
                        except grpc.RpcError as err:
                            code = err.code()
                            if code is not grpc.StatusCode.NOT_FOUND:  # purged meanwhile
                                self.note(f"{name} afterwards", f"{code.name}", request)
                token = page.next_page_token
                if not token:
                    break
        return count


def campaign(fuzzer: Fuzzer, examples: int) -> None:
    """Runs the generated examples, the same number for each method, checking on the server
    every BATCH examples."""
    strategies = Strategies(fuzzer.known)
    sent = itertools.count(1)
    each = max(1, examples // len(METHODS))

    for service, method in METHODS:
        requests = strategies.request(method.input_type)

        @settings(
            max_examples=each,
            deadline=None,
            database=None,
            phases=[Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        @given(request=requests)
        def example(request: Message) -> None:
            fuzzer.send(service, method, request)  # noqa: B023 (called before the loop moves on)
            if next(sent) % BATCH == 0:
                fuzzer.probe()
                fuzzer.restore()

        example()


@pytest.fixture
def fuzzer(dev_server: DevServer) -> Iterator[Fuzzer]:
    f = Fuzzer(dev_server.address, dev_server.api_key)
    logging.getLogger().addHandler(f.internals)
    try:
        yield f
    finally:
        logging.getLogger().removeHandler(f.internals)
        f.close()


@pytest.mark.timeout(60 + EXAMPLES // 8)
async def test_generated_requests_of_every_method_never_answer_internal_nor_stall_the_server(
    fuzzer: Fuzzer,
) -> None:
    started = time.monotonic()
    await asyncio.to_thread(fuzzer.prepare)
    await asyncio.to_thread(campaign, fuzzer, EXAMPLES)
    await asyncio.to_thread(fuzzer.probe)
    await asyncio.to_thread(fuzzer.restore)  # the last examples may have revoked its key
    read = await asyncio.to_thread(fuzzer.read_every_instance)
    took = time.monotonic() - started
    print(
        f"\n{EXAMPLES} examples, {read} instances read afterwards, {took:.0f} s; "
        f"answers: {dict(sorted(fuzzer.answers.items()))}"
    )
    if fuzzer.defects:
        found = sorted(fuzzer.defects.values(), key=lambda d: d.method)
        shown = "\n".join(d.shown() for d in found)
        pytest.fail(f"{len(found)} distinct defects:\n{shown}", pytrace=False)
