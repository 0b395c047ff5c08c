"""What SQLite's `synchronous` setting costs `stepway dev`: instance creations per second with
FULL (every commit synced) and NORMAL (synced at checkpoints), one at a time and 64 at once.

    .venv/bin/python bench/sqlite_synchronous.py [--creations 1000] [--dir /path/on/the/disk]

The store goes to --dir (default: the system's temporary directory): measure on the disk the
store will live on, as fsync costs what that disk makes it cost.
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from pathlib import Path

from gateway.dev import DevConfig, start_dev
from stepway import Client
from stepway.v1 import worker_service_pb2 as wpb


async def _rates(db_path: Path, synchronous: str, creations: int) -> tuple[float, float]:
    config = DevConfig(
        db_url=f"sqlite:///{db_path}", listen="127.0.0.1:0", sqlite_synchronous=synchronous
    )
    server = await start_dev(config)
    client = await Client.connect(server.address, api_key=server.api_key)
    try:
        await client.call(
            client.workers.RegisterWorker,
            wpb.RegisterWorkerRequest(worker_id="bench", task_queue="default", workflows=["b"]),
        )
        started = time.perf_counter()
        for n in range(creations):
            await client.create("b", id=f"seq-{n}")
        sequential = creations / (time.perf_counter() - started)

        ids = iter(range(creations))

        async def creator() -> None:
            for n in ids:
                await client.create("b", id=f"par-{n}")

        started = time.perf_counter()
        await asyncio.gather(*(creator() for _ in range(64)))
        concurrent = creations / (time.perf_counter() - started)
    finally:
        await client.close()
        await server.stop()
    return sequential, concurrent


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--creations", type=int, default=1000)
    parser.add_argument("--dir", default=None, help="where the SQLite files go")
    args = parser.parse_args()
    print(f"{args.creations} creations each way; store in {args.dir or tempfile.gettempdir()}")
    for synchronous in ("normal", "full"):
        with tempfile.TemporaryDirectory(dir=args.dir) as root:
            seq, par = await _rates(Path(root) / "bench.db", synchronous, args.creations)
        print(f"synchronous={synchronous:6}  one at a time {seq:7.0f}/s   64 at once {par:7.0f}/s")


if __name__ == "__main__":
    asyncio.run(main())
