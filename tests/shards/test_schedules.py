"""Schedules on a real dev server (gateway and shard over gRPC, SQLite and PostgreSQL), driven
by a clock the test moves: fires create the instances their scheduled times name, once each;
pause and resume; each overlap policy; trigger; backfill; a daylight-saving change on the
engine's clock; the max_schedules quota; and bad input named by its field."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import grpc
import pytest

from gateway.dev import DevConfig, DevServer, start_dev
from shards.core.schedules import instance_id, jitter_of, to_us
from stepway.errors import from_rpc_error
from stepway.testing._clock import SkippingClock
from stepway.v1 import common_pb2 as cpb
from stepway.v1 import schedule_service_pb2 as spb
from stepway.v1 import schedule_service_pb2_grpc as sgrpc
from stepway.v1 import worker_service_pb2 as wpb
from stepway.v1 import worker_service_pb2_grpc as wgrpc
from stepway.v1 import workflow_service_pb2 as fpb
from stepway.v1 import workflow_service_pb2_grpc as fgrpc
from tests.helpers import eventually
from tests.raw_stubs import refused
from tests.shards.test_quotas import _default_account, set_quotas

S = 1_000_000
# 2026-03-28T12:00:00Z: a whole minute, the day before Paris springs forward.
T0 = to_us(datetime(2026, 3, 28, 12, 0, tzinfo=ZoneInfo("UTC")))


@dataclass
class Env:
    server: DevServer
    clock: SkippingClock
    schedules: sgrpc.ScheduleServiceStub
    workflows: fgrpc.WorkflowServiceStub
    workers: wgrpc.WorkerServiceStub
    md: tuple[tuple[str, str], ...]

    async def create(self, schedule_id: str, **fields: Any) -> spb.Schedule:
        fields.setdefault("action", spb.ScheduleAction(workflow="raw"))
        resp = await self.schedules.CreateSchedule(
            spb.CreateScheduleRequest(schedule_id=schedule_id, **fields), metadata=self.md
        )
        schedule: spb.Schedule = resp.schedule
        return schedule

    async def get(self, schedule_id: str) -> spb.Schedule:
        resp = await self.schedules.GetSchedule(
            spb.GetScheduleRequest(schedule_id=schedule_id), metadata=self.md
        )
        schedule: spb.Schedule = resp.schedule
        return schedule

    async def instance_ids(self) -> list[str]:
        resp = await self.workflows.ListInstances(
            fpb.ListInstancesRequest(workflow="raw", page_size=1000), metadata=self.md
        )
        return sorted(i.instance_id for i in resp.instances)

    async def advance(self, to_us: int, schedule_id: str, fired: int) -> spb.Schedule:
        """Moves the clock to to_us and waits until the schedule has fired `fired` times."""
        self.clock.advance_to(to_us)
        return await eventually(
            lambda: self.get(schedule_id),
            lambda s: s.fired >= fired,
            what=f"{schedule_id} fired {fired} times",
        )

    async def finish(self, instance: str) -> None:
        """Takes the instance's workflow task and completes it."""
        poll = wpb.PollWorkflowTasksRequest(worker_id="w1", task_queue="q", max_tasks=1)
        poll.wait.FromSeconds(10)
        resp = await self.workers.PollWorkflowTasks(poll, metadata=self.md)
        assert [t.instance_id for t in resp.tasks] == [instance]
        await self.workers.CompleteWorkflow(
            wpb.CompleteWorkflowRequest(task_token=resp.tasks[0].task_token), metadata=self.md
        )


def interval(every_s: int, **spec: Any) -> spb.ScheduleSpec:
    msg = spb.ScheduleSpec(**spec)
    msg.interval.every.FromSeconds(every_s)
    return msg


def at(us: int) -> dict[str, int]:
    return {"seconds": us // S, "nanos": (us % S) * 1000}


@pytest.fixture
async def env(db_url: str) -> AsyncIterator[Env]:
    clock = SkippingClock(T0)
    server = await start_dev(DevConfig(db_url=db_url, listen="127.0.0.1:0"), clock)
    try:
        async with grpc.aio.insecure_channel(server.address) as channel:
            e = Env(
                server,
                clock,
                sgrpc.ScheduleServiceStub(channel),
                fgrpc.WorkflowServiceStub(channel),
                wgrpc.WorkerServiceStub(channel),
                (("authorization", f"Bearer {server.api_key}"),),
            )
            await e.workers.RegisterWorker(
                wpb.RegisterWorkerRequest(worker_id="w1", task_queue="q", workflows=["raw"]),
                metadata=e.md,
            )
            yield e
    finally:
        await server.stop()


async def test_an_every_second_schedule_creates_one_instance_per_second_named_by_its_time(
    env: Env,
) -> None:
    policy = spb.SchedulePolicy(overlap=spb.OVERLAP_POLICY_ALLOW_ALL)
    created = await env.create("tick", spec=interval(1), policy=policy)
    assert [t.ToMicroseconds() for t in created.next_fire_times] == [T0 + S]
    for n in range(1, 6):
        await env.advance(T0 + n * S, "tick", n)
    expected = [instance_id("tick", T0 + n * S) for n in range(1, 6)]
    assert expected[0] == "tick-20260328T120001Z"
    assert await env.instance_ids() == expected
    s = await env.get("tick")
    assert (s.fired, s.skipped, s.missed) == (5, 0, 0)
    assert [r.instance_id for r in s.recent_runs] == expected[::-1]
    assert all(r.status == cpb.INSTANCE_STATUS_QUEUED for r in s.recent_runs)
    assert all(r.workflow == "raw" for r in s.recent_runs)
    assert [t.ToMicroseconds() for t in s.next_fire_times] == [T0 + n * S for n in range(6, 16)]


async def test_a_paused_schedule_does_not_fire_and_resumes_from_now(env: Env) -> None:
    await env.create(
        "p", spec=interval(10), policy=spb.SchedulePolicy(overlap=spb.OVERLAP_POLICY_ALLOW_ALL)
    )
    await env.advance(T0 + 10 * S, "p", 1)
    paused = await env.schedules.PauseSchedule(
        spb.PauseScheduleRequest(schedule_id="p", note="maintenance"), metadata=env.md
    )
    assert paused.schedule.paused and paused.schedule.note == "maintenance"
    assert not paused.schedule.next_fire_times
    env.clock.advance_to(T0 + 35 * S)
    resumed = await env.schedules.ResumeSchedule(
        spb.ResumeScheduleRequest(schedule_id="p", note="done"), metadata=env.md
    )
    assert [t.ToMicroseconds() for t in resumed.schedule.next_fire_times] == [T0 + 40 * S]
    await env.advance(T0 + 40 * S, "p", 2)
    assert await env.instance_ids() == [
        instance_id("p", T0 + 10 * S),
        instance_id("p", T0 + 40 * S),
    ]
    s = await env.get("p")
    assert (s.fired, s.missed, s.note) == (2, 0, "done")


async def test_skip_creates_nothing_while_the_previous_instance_runs(env: Env) -> None:
    await env.create("skip", spec=interval(10))
    await env.advance(T0 + 10 * S, "skip", 1)
    env.clock.advance_to(T0 + 20 * S)
    s = await eventually(lambda: env.get("skip"), lambda s: s.skipped == 1, what="a skip")
    assert s.fired == 1
    await env.finish(instance_id("skip", T0 + 10 * S))
    await env.advance(T0 + 30 * S, "skip", 2)
    assert await env.instance_ids() == [
        instance_id("skip", T0 + 10 * S),
        instance_id("skip", T0 + 30 * S),
    ]


async def test_buffer_one_waits_for_the_previous_instance_and_skips_further_fires(
    env: Env,
) -> None:
    policy = spb.SchedulePolicy(overlap=spb.OVERLAP_POLICY_BUFFER_ONE)
    await env.create("buf", spec=interval(10), policy=policy)
    await env.advance(T0 + 10 * S, "buf", 1)
    env.clock.advance_to(T0 + 20 * S)  # buffered
    env.clock.advance_to(T0 + 30 * S)  # skipped: one waits already
    await eventually(lambda: env.get("buf"), lambda s: s.skipped == 1, what="a skip")
    assert await env.instance_ids() == [instance_id("buf", T0 + 10 * S)]
    await env.finish(instance_id("buf", T0 + 10 * S))
    env.clock.advance_to(T0 + 32 * S)  # the buffered fire's retry
    await eventually(lambda: env.get("buf"), lambda s: s.fired == 2, what="the buffered fire")
    assert await env.instance_ids() == [
        instance_id("buf", T0 + 10 * S),
        instance_id("buf", T0 + 20 * S),
    ]


async def test_allow_all_creates_every_fire_beside_the_running_ones(env: Env) -> None:
    policy = spb.SchedulePolicy(overlap=spb.OVERLAP_POLICY_ALLOW_ALL)
    await env.create("all", spec=interval(10), policy=policy)
    for n in range(1, 4):
        await env.advance(T0 + n * 10 * S, "all", n)
    assert await env.instance_ids() == [instance_id("all", T0 + n * 10 * S) for n in (1, 2, 3)]


async def test_terminate_previous_ends_the_running_instance_then_creates(env: Env) -> None:
    policy = spb.SchedulePolicy(overlap=spb.OVERLAP_POLICY_TERMINATE_PREVIOUS)
    await env.create("term", spec=interval(10), policy=policy)
    await env.advance(T0 + 10 * S, "term", 1)
    await env.advance(T0 + 20 * S, "term", 2)
    first = await env.workflows.GetInstance(
        fpb.GetInstanceRequest(workflow="raw", instance_id=instance_id("term", T0 + 10 * S)),
        metadata=env.md,
    )
    assert first.instance.status == cpb.INSTANCE_STATUS_TERMINATED
    s = await env.get("term")
    assert [r.status for r in s.recent_runs] == [
        cpb.INSTANCE_STATUS_QUEUED,
        cpb.INSTANCE_STATUS_TERMINATED,
    ]


async def test_trigger_fires_now_even_when_paused(env: Env) -> None:
    await env.create("trig", spec=interval(3600), paused=True)
    env.clock.advance_to(T0 + 5 * S)
    resp = await env.schedules.TriggerSchedule(
        spb.TriggerScheduleRequest(schedule_id="trig"), metadata=env.md
    )
    assert resp.instance_id == instance_id("trig", T0 + 5 * S)
    assert await env.instance_ids() == [resp.instance_id]
    skipped = await env.schedules.TriggerSchedule(
        spb.TriggerScheduleRequest(schedule_id="trig", overlap=spb.OVERLAP_POLICY_SKIP),
        metadata=env.md,
    )
    assert skipped.instance_id == ""


async def test_a_backfill_creates_exactly_the_fires_of_the_range_and_twice_nothing_more(
    env: Env,
) -> None:
    await env.create("back", spec=interval(60), paused=True)
    request = spb.BackfillScheduleRequest(
        schedule_id="back", start_time=at(T0 - 3600 * S), end_time=at(T0 - 3000 * S)
    )
    first = await env.schedules.BackfillSchedule(request, metadata=env.md)
    assert (first.created, first.existing, first.skipped) == (10, 0, 0)
    expected = [instance_id("back", T0 - 3600 * S + n * 60 * S) for n in range(10)]
    assert await env.instance_ids() == expected
    again = await env.schedules.BackfillSchedule(request, metadata=env.md)
    assert (again.created, again.existing) == (0, 10)
    assert await env.instance_ids() == expected


async def test_a_cron_schedule_skips_the_wall_time_a_spring_forward_removes(env: Env) -> None:
    # Paris springs forward on 2026-03-29 at 02:00 CET: 02:30 does not exist that day.
    spec = spb.ScheduleSpec(cron=spb.CronSpec(expression="30 2 * * *", time_zone="Europe/Paris"))
    policy = spb.SchedulePolicy(overlap=spb.OVERLAP_POLICY_ALLOW_ALL)
    created = await env.create("dst", spec=spec, policy=policy)
    fires = [t.ToMicroseconds() for t in (await env.get("dst")).next_fire_times[:2]]
    paris = ZoneInfo("Europe/Paris")
    assert fires == [
        to_us(datetime(2026, 3, 30, 2, 30, tzinfo=paris)),
        to_us(datetime(2026, 3, 31, 2, 30, tzinfo=paris)),
    ]
    assert created.next_fire_times[0].ToMicroseconds() == fires[0]
    await env.advance(fires[0], "dst", 1)
    assert await env.instance_ids() == ["dst-20260330T003000Z"]


async def test_the_max_schedules_quota_refuses_the_next_create(env: Env) -> None:
    account = _default_account(env.server)
    set_quotas(env.server.db, account, max_schedules=2)
    env.server.shard.engine.admission.read_quotas(account)  # the change read now, not in 2 s
    await env.create("q1", spec=interval(60))
    await env.create("q2", spec=interval(60))
    with pytest.raises(grpc.aio.AioRpcError) as info:
        await env.create("q3", spec=interval(60))
    assert info.value.code() is grpc.StatusCode.RESOURCE_EXHAUSTED
    assert from_rpc_error(info.value).metadata["quota"] == "max_schedules"


async def test_bad_input_is_refused_naming_the_field(env: Env) -> None:
    good = spb.CreateScheduleRequest(
        schedule_id="ok", spec=interval(60), action=spb.ScheduleAction(workflow="raw")
    )
    cases: list[tuple[str, spb.CreateScheduleRequest]] = []

    def case(field: str, **change: Any) -> None:
        request = spb.CreateScheduleRequest()
        request.CopyFrom(good)
        for name, value in change.items():
            if isinstance(value, spb.ScheduleSpec | spb.ScheduleAction | spb.SchedulePolicy):
                getattr(request, name).CopyFrom(value)
            else:
                setattr(request, name, value)
        cases.append((field, request))

    case("schedule_id", schedule_id="")
    case("schedule_id", schedule_id="x" * 81)
    case("schedule_id", schedule_id="bad id")
    case("spec.trigger", spec=spb.ScheduleSpec())
    case("spec.cron.expression", spec=spb.ScheduleSpec(cron=spb.CronSpec(expression="* *")))
    case(
        "spec.cron.time_zone",
        spec=spb.ScheduleSpec(cron=spb.CronSpec(expression="* * * * *", time_zone="Nowhere/X")),
    )
    case("spec.interval.every", spec=interval(0))
    bad_offset = interval(60)
    bad_offset.interval.offset.FromSeconds(60)
    case("spec.interval.offset", spec=bad_offset)
    case("spec.end_time", spec=interval(60, start_time=at(T0), end_time=at(T0)))
    bad_jitter = interval(60)
    bad_jitter.jitter.FromSeconds(60)
    case("spec.jitter", spec=bad_jitter)
    case("action.workflow", action=spb.ScheduleAction(workflow=""))
    case(
        "action.params",
        action=spb.ScheduleAction(workflow="raw", params=cpb.Payload(data=b"{nope")),
    )
    case("action.task_queue", action=spb.ScheduleAction(workflow="raw", task_queue="a b"))
    bad_window = spb.SchedulePolicy()
    bad_window.catchup_window.FromMilliseconds(10)
    case("policy.catchup_window", policy=bad_window)
    case("policy.overlap", policy=spb.SchedulePolicy(overlap=99))  # type: ignore[arg-type]
    for field, request in cases:
        await refused(env.schedules.CreateSchedule(request, metadata=env.md), field)
    bad_page = spb.ListSchedulesRequest(page_token="!!")
    await refused(env.schedules.ListSchedules(bad_page, metadata=env.md), "page_token")
    big = spb.GetScheduleRequest(schedule_id="ok", next_fire_times=101)
    await refused(env.schedules.GetSchedule(big, metadata=env.md), "next_fire_times")
    with pytest.raises(grpc.aio.AioRpcError) as info:
        await env.get("missing")
    assert info.value.code() is grpc.StatusCode.NOT_FOUND
    assert from_rpc_error(info.value).reason == "SCHEDULE_NOT_FOUND"
    await env.create("ok", spec=interval(60))
    with pytest.raises(grpc.aio.AioRpcError) as info:
        await env.create("ok", spec=interval(60))
    assert info.value.code() is grpc.StatusCode.ALREADY_EXISTS
    assert from_rpc_error(info.value).reason == "SCHEDULE_EXISTS"


async def test_schedules_are_listed_by_id_a_page_at_a_time_and_deleted(env: Env) -> None:
    ids = [f"s{n:02}" for n in range(7)]
    for sid in reversed(ids):
        await env.create(sid, spec=interval(60))
    seen: list[str] = []
    token = ""
    while True:
        page = await env.schedules.ListSchedules(
            spb.ListSchedulesRequest(page_size=3, page_token=token), metadata=env.md
        )
        seen += [s.schedule_id for s in page.schedules]
        assert all(len(s.next_fire_times) == 1 for s in page.schedules)
        token = page.next_page_token
        if not token:
            break
    assert seen == ids
    await env.schedules.DeleteSchedule(
        spb.DeleteScheduleRequest(schedule_id="s03"), metadata=env.md
    )
    with pytest.raises(grpc.aio.AioRpcError) as info:
        await env.get("s03")
    assert info.value.code() is grpc.StatusCode.NOT_FOUND


async def test_fires_older_than_the_catchup_window_are_missed_and_counted(env: Env) -> None:
    policy = spb.SchedulePolicy(overlap=spb.OVERLAP_POLICY_ALLOW_ALL)
    policy.catchup_window.FromSeconds(5)
    await env.create("late", spec=interval(1), policy=policy)
    # The server was away for 20 s: the fires of T0+1 .. T0+14 are older than 5 s.
    env.clock.advance_to(T0 + 20 * S)
    s = await eventually(
        lambda: env.get("late"), lambda s: s.fired == 6, what="the fires within the window"
    )
    assert s.missed == 14
    assert await env.instance_ids() == [instance_id("late", T0 + n * S) for n in range(15, 21)]


async def test_an_update_computes_the_next_fire_from_the_new_spec(env: Env) -> None:
    await env.create("upd", spec=interval(3600))
    cron = spb.ScheduleSpec(cron=spb.CronSpec(expression="*/5 * * * * *"))
    resp = await env.schedules.UpdateSchedule(
        spb.UpdateScheduleRequest(
            schedule_id="upd",
            spec=cron,
            action=spb.ScheduleAction(workflow="raw", params=cpb.Payload(data=b'{"n":1}')),
            policy=spb.SchedulePolicy(overlap=spb.OVERLAP_POLICY_ALLOW_ALL),
        ),
        metadata=env.md,
    )
    assert [t.ToMicroseconds() for t in resp.schedule.next_fire_times] == [T0 + 5 * S]
    assert resp.schedule.action.params.data == b'{"n":1}'
    await env.advance(T0 + 5 * S, "upd", 1)
    assert await env.instance_ids() == [instance_id("upd", T0 + 5 * S)]


async def test_a_jittered_fire_waits_its_delay_and_keeps_its_scheduled_id(env: Env) -> None:
    spec = interval(60)
    spec.jitter.FromSeconds(30)
    delay = jitter_of("jit", T0 + 60 * S, 30 * S)
    assert delay > 0
    await env.create("jit", spec=spec)
    await env.create("sentinel", spec=interval(60))
    # Just before the delay ends: the timer has run past T0 + 60 s (the sentinel fired), and
    # the jittered fire has not.
    await env.advance(T0 + 60 * S + delay - 1, "sentinel", 1)
    assert (await env.get("jit")).fired == 0
    s = await env.advance(T0 + 60 * S + delay, "jit", 1)
    assert instance_id("jit", T0 + 60 * S) in await env.instance_ids()
    # Created when its delay had passed, on the clock that stood still from then on.
    assert s.recent_runs[0].created_at.ToMicroseconds() == T0 + 60 * S + delay
    assert s.recent_runs[0].scheduled_at.ToMicroseconds() == T0 + 60 * S
