"""The one path by which the gateway sends calls to shard servers, and retries those that moved.

Every call the gateway forwards (by instance key, by task token, a batch split by owner, a
poll) is sent here with the cluster secret and the caller's CallContext (shards.call_context),
to the shard server that owns its partition in the routing table (gateway.routing). A shard's
error comes back to the caller unchanged, rich details included.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from typing import Any, NoReturn, TypeVar

import grpc

from gateway.routing import Router, ShardStubs
from shards.accounts import Principal
from shards.call_context import Metadata, call_metadata
from shards.errors import ShardUnavailable
from shards.rpc import is_not_owner, status_details
from stepway.internal.v1 import internal_service_pb2 as ipb

Context = grpc.aio.ServicerContext[Any, Any]
R = TypeVar("R")
T = TypeVar("T")
# How long a call is sent again while its partition moves between shard servers.
RETRY_SECONDS = 20.0
# A method of a shard server's stubs, by the stubs.
Method = Callable[[ShardStubs], Callable[..., Awaitable[R]]]


def workflow_method(name: str) -> Method[Any]:
    """A WorkflowService method of a shard server."""
    return lambda shard: getattr(shard.workflows, name)


def schedule_method(name: str) -> Method[Any]:
    """A ScheduleService method of a shard server."""
    return lambda shard: getattr(shard.schedules, name)


def worker_method(name: str) -> Method[Any]:
    """A WorkerService method of a shard server."""
    return lambda shard: getattr(shard.workers, name)


class Forwarder:
    """Sends requests to shards with the caller's account, passing errors back unchanged.

    A call for a partition goes to the partition's owner in the routing table. When the shard
    answers that it does not own the partition (it moved), or the partition has no owner for a
    moment, the routing table is read again and the call is sent again, for up to
    RETRY_SECONDS: nothing ran on the shard that refused, so this never runs a request twice.
    A shard that cannot be reached is retried the same way for calls that are safe to repeat.
    A call of many items (a batch, a list of task tokens) is sent a part per owner at once, and
    only the items that moved are sent again.
    """

    def __init__(self, secret: str, router: Router) -> None:
        self.secret = secret
        self.router = router

    def metadata(self, principal: Principal, *, fanout_poll_id: str = "") -> Metadata:
        """The metadata of a call sent to a shard for this caller."""
        call = ipb.CallContext(account_id=principal.account_id, fanout_poll_id=fanout_poll_id)
        return call_metadata(self.secret, call)

    async def call(
        self,
        route: Callable[[], ShardStubs],
        method: Method[R],
        request: Any,
        principal: Principal,
        context: Context,
        *,
        timeout: float | None = 30.0,
        idempotent: bool = False,
    ) -> R:
        """Calls method(route()) with the request, retrying moves as the class says."""
        answers: list[R] = []

        async def send(shard: ShardStubs, _: list[Any]) -> list[Any]:
            call = method(shard)
            answers.append(await call(request, metadata=self.metadata(principal), timeout=timeout))
            return []

        await self.spread([request], lambda _: route(), send, context, idempotent=idempotent)
        return answers[0]

    async def spread(
        self,
        items: Sequence[T],
        route: Callable[[T], ShardStubs],
        send: Callable[[ShardStubs, list[T]], Awaitable[list[T]]],
        context: Context,
        *,
        idempotent: bool = False,
    ) -> None:
        """Sends items to the shard servers route() names, a part per server at once.

        send(shard, part) answers the items of the part that the shard refused one by one
        because their partition moved (a batch item's own NOT_OWNER result). Those, the items
        whose partition has no owner for a moment, and a whole part the shard refused as not
        its owner (or could not be reached, when idempotent) go again after a routing refresh,
        for up to RETRY_SECONDS. After that, an item without an owner fails the call with
        UNAVAILABLE, a refused part's error goes back to the caller, and items refused one by
        one keep their result.
        """
        loop = asyncio.get_running_loop()
        deadline = loop.time() + RETRY_SECONDS
        delay = 0.02
        pending = list(items)
        while True:
            groups: dict[str, tuple[ShardStubs, list[T]]] = {}
            unrouted: list[T] = []
            for item in pending:
                try:
                    shard = route(item)
                except ShardUnavailable:
                    if loop.time() > deadline:
                        raise
                    unrouted.append(item)
                    continue
                groups.setdefault(shard.address, (shard, []))[1].append(item)

            async def one(shard: ShardStubs, part: list[T]) -> list[T]:
                try:
                    return await send(shard, part)
                except grpc.aio.AioRpcError as err:
                    movable = is_not_owner(err) or (
                        idempotent and err.code() is grpc.StatusCode.UNAVAILABLE
                    )
                    if not movable or loop.time() > deadline:
                        await self.relay_error(err, context)
                    return part

            parts = await asyncio.gather(*(one(shard, part) for shard, part in groups.values()))
            moved = [item for part in parts for item in part]
            if not unrouted and (not moved or loop.time() > deadline):
                return
            pending = unrouted + moved
            await self.router.refresh()
            await asyncio.sleep(delay)
            delay = min(delay * 2, 0.5)

    async def relay_error(self, err: grpc.aio.AioRpcError, context: Context) -> NoReturn:
        """Answers the caller with a shard's error, unchanged (UNAVAILABLE when it is down).
        A shard's own UNAVAILABLE answer (its database is away) keeps its RetryInfo."""
        down = err.code() in (grpc.StatusCode.UNAVAILABLE, grpc.StatusCode.DEADLINE_EXCEEDED)
        if down and not is_not_owner(err) and not status_details(err):
            raise ShardUnavailable(f"shard server unavailable: {err.details()}") from None
        await context.abort(err.code(), err.details() or "", trailing_metadata=status_details(err))
        raise AssertionError("unreachable")
