"""The in-process server that the SDK's stepway.testing runs (through the `stepway.testing`
entry point this distribution declares): a dev server on a test's own store, with the reads of
the engine that let the test environment skip time only when nothing can run."""

from __future__ import annotations

from dataclasses import dataclass

from gateway.dev import DevConfig, DevServer, start_dev
from shards.clock import WALL_CLOCK, Clock


@dataclass
class EmbeddedServer:
    """A dev server as stepway.testing drives it (stepway.testing._server.EmbeddedServer)."""

    dev: DevServer

    @property
    def address(self) -> str:
        return self.dev.address

    @property
    def api_key(self) -> str:
        return self.dev.api_key

    def idle(self) -> bool:
        """Nothing can run: no instance running, claimed or queued, no remote step queued, no
        message about a child workflow on its way."""
        engine = self.dev.shard.engine
        busy = engine.occupancy
        return (
            not any(busy.running.values())
            and not any(busy.claiming.values())
            and not any(busy.queued.values())
            and not any(depth for _, _, depth in engine.step_queues.depths())
            and engine.children.quiet
        )

    def awaits_results(self) -> bool:
        """Whether a client waits for an instance's result now."""
        return self.dev.shard.engine.awaits_results()

    async def stop(self) -> None:
        await self.dev.stop()


async def start_embedded(db_url: str, clock: Clock | None) -> EmbeddedServer:
    """A dev server on db_url at a free loopback port, its timers on clock (None: the wall
    clock)."""
    config = DevConfig(
        db_url=db_url, listen="127.0.0.1:0", partitions=8, sqlite_synchronous="normal"
    )
    return EmbeddedServer(await start_dev(config, clock or WALL_CLOCK))
