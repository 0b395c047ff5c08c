"""The server that WorkflowEnvironment runs in the test's process. It comes with the
stepway-server distribution, which names its start function under the `stepway.testing`
entry-point group (gateway.testing.start_embedded): the SDK never imports the server itself,
and says what to install when it is missing."""

from __future__ import annotations

from collections.abc import Awaitable
from importlib.metadata import entry_points
from typing import Protocol, cast

from stepway.testing._clock import SkippingClock

GROUP = "stepway.testing"


class EmbeddedServer(Protocol):
    """A gateway and a shard server on one store, in this process."""

    @property
    def address(self) -> str:
        """HOST:PORT where clients and workers connect."""
        ...

    @property
    def api_key(self) -> str:
        """An admin key of the server's account."""
        ...

    def idle(self) -> bool:
        """Nothing can run: no instance running, being claimed or queued, no remote step
        waiting for a step worker."""
        ...

    def awaits_results(self) -> bool:
        """Whether a client waits for an instance's result now."""
        ...

    async def stop(self) -> None: ...


class StartServer(Protocol):
    """What the entry point names: starts a server on the store at db_url, its timers on
    clock (None: the wall clock)."""

    def __call__(self, db_url: str, clock: SkippingClock | None) -> Awaitable[EmbeddedServer]: ...


class ServerMissing(RuntimeError):
    """The stepway-server distribution, which runs the engine, is not installed."""


async def start_server(db_url: str, clock: SkippingClock | None) -> EmbeddedServer:
    """Starts the installed server's embedded server; ServerMissing when there is none."""
    found = entry_points(group=GROUP)
    if not found:
        raise ServerMissing(
            "stepway.testing runs the Stepway server in the test's process, and the server is "
            "not installed here: pip install 'stepway[testing]' (it brings the stepway-server "
            "package, pytest and pytest-asyncio)"
        )
    start = cast(StartServer, next(iter(found)).load())
    return await start(db_url, clock)
