"""Account B of the noisy-neighbour test, as a process of its own: sends the heaviest calls the
API allows, in loops, until its standard input closes or every loop ran its rounds.

    python -m tests.noisy_tenant ADDRESS CLIENT_KEY WORKER_KEY ROUNDS

It prints "running" once every kind of call went through once, and at the end the rounds each
kind ran, as JSON. Its own CPU then never competes with the servers' process for the GIL, as
another tenant's clients would not.
"""

from __future__ import annotations

import asyncio
import json
import secrets
import sys
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

import grpc

from shards.partitioning import DEFAULT_PARTITIONS
from stepway.v1 import common_pb2 as cpb
from stepway.v1 import worker_service_pb2 as wpb
from stepway.v1 import worker_service_pb2_grpc as wgrpc
from stepway.v1 import workflow_service_pb2 as fpb
from stepway.v1 import workflow_service_pb2_grpc as fgrpc

# The largest request of each kind the API takes.
TOKENS_PER_CALL = 1000
NAMES_PER_CALL = 1000
INSTANCES_PER_CALL = 1000
TASKS_PER_POLL = 100
RESULT = b'"' + b"x" * (64 * 1024) + b'"'
# Loops running at once per kind of call.
LOOPS_PER_KIND = 2


@dataclass
class Noisy:
    """Account B: raw stubs on its client key and its worker key, and what its loops did."""

    workflows: fgrpc.WorkflowServiceStub
    workers: wgrpc.WorkerServiceStub
    client_md: tuple[tuple[str, str], ...]
    worker_md: tuple[tuple[str, str], ...]
    rounds: dict[str, int] = field(default_factory=dict)


def _forged_tokens(count: int) -> list[bytes]:
    return [
        wpb.TaskToken(
            partition=secrets.randbelow(DEFAULT_PARTITIONS),
            uid=secrets.token_hex(16),
            lease=secrets.randbelow(2**62) + 1,
        ).SerializeToString()
        for _ in range(count)
    ]


async def _heartbeats(b: Noisy) -> None:
    request = wpb.HeartbeatTasksRequest(worker_id="b", task_tokens=_forged_tokens(TOKENS_PER_CALL))
    resp = await b.workers.HeartbeatTasks(request, metadata=b.worker_md)
    assert len(resp.lost_task_tokens) == TOKENS_PER_CALL


async def _registrations(b: Noisy) -> None:
    # Moving every name to the other queue rewrites all of their rows.
    queue = f"r-{b.rounds.get('registrations', 0) % 2}"
    names = [f"r-{n}" for n in range(NAMES_PER_CALL)]
    request = wpb.RegisterWorkerRequest(worker_id="b", task_queue=queue, workflows=names)
    await b.workers.RegisterWorker(request, metadata=b.worker_md)


async def _create_batches(b: Noisy) -> None:
    batch = fpb.CreateInstancesRequest(
        workflow="b-0",
        instances=[
            fpb.CreateInstanceRequest(params=cpb.Payload(data=b"1"))
            for _ in range(INSTANCES_PER_CALL)
        ],
    )
    resp = await b.workflows.CreateInstances(batch, metadata=b.client_md)
    assert all(r.HasField("instance") for r in resp.results)


async def _completions(b: Noisy) -> None:
    """Takes B's tasks and records a 64 KiB step result and the end of each, in one batch."""
    poll = wpb.PollWorkflowTasksRequest(worker_id="b", task_queue="b-0", max_tasks=TASKS_PER_POLL)
    poll.wait.FromMilliseconds(500)
    tasks = (await b.workers.PollWorkflowTasks(poll, metadata=b.worker_md)).tasks
    commands = []
    for task in tasks:
        step = wpb.WorkerCommand()
        step.complete_step.task_token = task.task_token
        step.complete_step.name, step.complete_step.seq = "s", 1
        step.complete_step.attempt = 1
        step.complete_step.result.data = RESULT
        done = wpb.WorkerCommand()
        done.complete_workflow.task_token = task.task_token
        done.complete_workflow.output.data = b"1"
        commands += [step, done]
    if commands:
        await b.workers.RecordBatch(wpb.RecordBatchRequest(commands=commands), metadata=b.worker_md)


async def _loop(
    b: Noisy,
    name: str,
    call: Callable[[Noisy], Awaitable[None]],
    stop: asyncio.Event,
    rounds: int,
    under_way: asyncio.Event,
) -> None:
    for _ in range(rounds):
        if stop.is_set():
            return
        await call(b)
        b.rounds[name] = b.rounds.get(name, 0) + 1
        if all(b.rounds.get(k) for k in KINDS):
            under_way.set()


KINDS: dict[str, Callable[[Noisy], Awaitable[None]]] = {
    "heartbeats": _heartbeats,
    "registrations": _registrations,
    "create_batches": _create_batches,
    "completions": _completions,
}


async def main(address: str, client_key: str, worker_key: str, rounds: int) -> None:
    async with grpc.aio.insecure_channel(address) as channel:
        b = Noisy(
            fgrpc.WorkflowServiceStub(channel),
            wgrpc.WorkerServiceStub(channel),
            (("authorization", f"Bearer {client_key}"),),
            (("authorization", f"Bearer {worker_key}"),),
        )
        await b.workers.RegisterWorker(
            wpb.RegisterWorkerRequest(worker_id="b", task_queue="b-0", workflows=["b-0"]),
            metadata=b.worker_md,
        )
        stop, under_way = asyncio.Event(), asyncio.Event()
        loops = [
            asyncio.ensure_future(_loop(b, name, call, stop, rounds, under_way))
            for name, call in KINDS.items()
            for _ in range(LOOPS_PER_KIND)
        ]
        loop = asyncio.get_running_loop()
        closed = loop.run_in_executor(None, sys.stdin.read)
        closed.add_done_callback(lambda _: stop.set())
        await asyncio.wait(
            [asyncio.ensure_future(under_way.wait()), asyncio.ensure_future(stop.wait())],
            return_when=asyncio.FIRST_COMPLETED,
        )
        print("running", flush=True)
        await asyncio.gather(*loops)
        print(json.dumps(b.rounds), flush=True)


if __name__ == "__main__":
    address, client_key, worker_key, rounds = sys.argv[1:5]
    asyncio.run(main(address, client_key, worker_key, int(rounds)))
