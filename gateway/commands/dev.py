"""`stepway dev` (a gateway, a shard server and an embedded store in one process) and
`stepway migrate` (create or upgrade a database's schema)."""

from __future__ import annotations

import argparse
import asyncio

from gateway.commands.common import server_tls, startup_errors, tls_banner


async def run_dev(args: argparse.Namespace) -> int:
    """`stepway dev`: a dev server until Ctrl-C or SIGTERM, after the example with --example."""
    from gateway.dev import DEFAULT_DB_URL, DevConfig, default_http, signs_in, start_dev
    from shards.db import redact
    from stepway.examples import order

    config = DevConfig(
        tls=server_tls(args),
        tls_ca=args.tls_ca,
        db_url=args.db or DEFAULT_DB_URL,
        listen=args.listen,
        api_key=args.api_key,
        lease_timeout=args.lease_timeout,
        sqlite_synchronous=args.sqlite_synchronous,
        metrics=args.metrics,
        http=None if args.http == "off" else args.http or default_http(args.listen),
    )
    with startup_errors(config.db_url):
        server = await start_dev(config)
    print(f"Stepway dev server listening on {server.address} (store: {redact(config.db_url)})")
    print(tls_banner(config.tls, config.listen, "the dev server"))
    if server.metrics_port is not None:
        host = config.metrics.rsplit(":", 1)[0] if config.metrics else "127.0.0.1"
        print(f"Prometheus metrics on http://{host}:{server.metrics_port}/metrics")
    if server.http_port is not None:
        host = config.http.rsplit(":", 1)[0] if config.http else "127.0.0.1"
        how = "signed in on this machine" if signs_in(config) else "sign in with the API key"
        scheme = "http" if config.tls is None else "https"
        print(
            f"Web console on {scheme}://{host}:{server.http_port}/ ({how}; --http off: no console)"
        )
    print(f"API key (account {config.account!r}, role admin): {server.api_key}")
    ca = "" if config.tls is None else f" STEPWAY_TLS_CA={config.client_tls}"
    print(
        f"  export STEPWAY_ADDRESS={server.address} STEPWAY_API_KEY={server.api_key}{ca}",
        flush=True,
    )
    try:
        if args.example:
            await order.run(server.address, server.api_key, config.client_tls)
        print("Serving; Ctrl-C stops.", flush=True)
        await asyncio.Event().wait()
    finally:
        await server.stop()
    return 0


async def run_migrate(args: argparse.Namespace) -> int:
    """`stepway migrate`: creates or upgrades the schema of --db."""
    from shards import migrate
    from shards.db import create_engine, redact

    with startup_errors(args.db):
        engine = create_engine(args.db)
        try:
            before, after = await asyncio.to_thread(migrate.upgrade, engine)
        finally:
            engine.dispose()
    where = redact(args.db)
    if before is None:
        print(f"created the schema of {where} (revision {after})")
    elif before != after:
        print(f"upgraded the schema of {where} from revision {before} to {after}")
    else:
        print(f"the schema of {where} is up to date (revision {after})")
    return 0
