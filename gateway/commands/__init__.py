"""The `stepway` commands that run or inspect a server: `dev`, `migrate`, `shard`, `gateway`,
`cluster status` and `keys`. The SDK's `stepway` command (stepway.cli) finds add_commands
through the `stepway.commands` entry point this distribution declares. Each talks to the
database directly (`--db` or STEPWAY_DB), except `dev`, which runs a server of its own, and
the key commands that go through a gateway's AdminService (stepway.cli_admin): `keys list`,
`keys revoke`, and `keys create` without --db.

add_commands (here) registers every parser; each command runs in its own module: `dev` and
`migrate` in dev.py, `shard` and `gateway` in servers.py, `cluster status|forget` in cluster.py,
`keys create --db` in keys.py, and what they share (TLS and output flags, start-up errors) in
common.py."""

from __future__ import annotations

import argparse
import os
from typing import Any

from gateway.commands.cluster import cluster_forget, cluster_status
from gateway.commands.common import gateway_ca_arg, output_args, tls_args
from gateway.commands.dev import run_dev, run_migrate
from gateway.commands.keys import KEY_FILE_RULE, ROLES, keys_create
from gateway.commands.servers import run_gateway, run_shard
from shards.partitioning import DEFAULT_PARTITIONS


def add_commands(sub: Any) -> None:
    """Registers the server commands on the `stepway` parser's subcommands."""
    from stepway._server_config import add_config_arg

    dev = sub.add_parser("dev", help="run a gateway, a shard and an embedded store in one process")
    dev.set_defaults(run=run_dev)
    dev.add_argument(
        "--db",
        default=os.environ.get("STEPWAY_DB"),
        help="database URL (default sqlite:///stepway-dev.db; postgresql://... works too)",
    )
    dev.add_argument("--listen", default="127.0.0.1:7300", help="HOST:PORT (default %(default)s)")
    dev.add_argument(
        "--api-key",
        help="use this API key instead of the store's dev key (one per store, kept across starts)",
    )
    dev.add_argument("--metrics", metavar="HOST:PORT", help="serve Prometheus metrics there")
    dev.add_argument(
        "--http",
        metavar="HOST:PORT",
        help="serve the web console there (default 127.0.0.1 at the --listen port + 80, "
        "127.0.0.1:7380; 'off': not at all); on a loopback address it signs in a browser on "
        "this machine with the dev key",
    )
    dev.add_argument(
        "--lease-timeout",
        type=float,
        default=10.0,
        help="seconds a worker holds a task without a heartbeat (default %(default)s)",
    )
    dev.add_argument(
        "--sqlite-synchronous",
        choices=("full", "normal"),
        default="full",
        help="SQLite store only: 'full' (default) keeps every answered commit through a power "
        "cut; 'normal' is faster but may lose the last commits on a power cut "
        "(env STEPWAY_SQLITE_SYNCHRONOUS)",
    )
    tls_args(dev, "clients and workers (and the console, over HTTPS)")
    gateway_ca_arg(dev)
    dev.add_argument(
        "--example",
        action="store_true",
        help="also run the example order workflow with a worker, printing its steps",
    )
    add_config_arg(dev)

    migrate = sub.add_parser("migrate", help="create or upgrade a database's schema")
    migrate.set_defaults(run=run_migrate)
    migrate.add_argument(
        "--db",
        default=os.environ.get("STEPWAY_DB"),
        required=os.environ.get("STEPWAY_DB") is None,
        help="database URL (env STEPWAY_DB)",
    )
    add_config_arg(migrate)

    def db_arg(p: argparse.ArgumentParser, *, required: bool = True) -> None:
        p.add_argument(
            "--db",
            default=os.environ.get("STEPWAY_DB"),
            required=required and os.environ.get("STEPWAY_DB") is None,
            help="database URL (env STEPWAY_DB); postgresql://... or cockroachdb://...",
        )

    shard = sub.add_parser("shard", help="run a shard server of a cluster")
    shard.set_defaults(run=run_shard)
    db_arg(shard)
    shard.add_argument("--listen", default="127.0.0.1:7301", help="HOST:PORT (default %(default)s)")
    shard.add_argument(
        "--advertise", help="HOST:PORT where gateways reach this server (default: --listen)"
    )
    shard.add_argument(
        "--partitions",
        type=int,
        default=DEFAULT_PARTITIONS,
        help="partition count, fixed when the cluster is created (default %(default)s)",
    )
    shard.add_argument("--member-id", help="this server's id (default shard@ADVERTISE)")
    shard.add_argument(
        "--lease-timeout",
        type=float,
        default=10.0,
        help="seconds a worker holds a task without a heartbeat (default %(default)s)",
    )
    shard.add_argument(
        "--partition-lease",
        type=float,
        default=10.0,
        help="seconds a partition lease lasts without renewal (default %(default)s)",
    )
    tls_args(shard, "gateways")
    shard.add_argument(
        "--tls-client-ca",
        metavar="FILE",
        help="accept only callers with a certificate from this CA: the cluster CA that issues "
        "the gateways' --shard-tls-cert (mutual TLS; env STEPWAY_TLS_CLIENT_CA)",
    )
    shard.add_argument("--metrics", metavar="HOST:PORT", help="serve Prometheus metrics there")
    shard.add_argument(
        "--heartbeat",
        type=float,
        default=1.0,
        help="seconds between membership heartbeats, which renew the leases "
        "(default %(default)s; keep it well under --partition-lease)",
    )
    add_config_arg(shard)

    gateway = sub.add_parser("gateway", help="run a gateway of a cluster")
    gateway.set_defaults(run=run_gateway)
    db_arg(gateway)
    gateway.add_argument(
        "--listen", default="127.0.0.1:7300", help="HOST:PORT (default %(default)s)"
    )
    gateway.add_argument("--metrics", metavar="HOST:PORT", help="serve Prometheus metrics there")
    gateway.add_argument("--http", metavar="HOST:PORT", help="serve the web console there")
    tls_args(gateway, "clients and workers (and the console, over HTTPS)")
    gateway_ca_arg(gateway)
    for name, env, text in (
        ("cert", "STEPWAY_SHARD_TLS_CERT", "the cluster certificate shown to shard servers"),
        ("key", "STEPWAY_SHARD_TLS_KEY", "the key of --shard-tls-cert"),
        ("ca", "STEPWAY_SHARD_TLS_CA", "the CA that issued the shard servers' certificates"),
    ):
        gateway.add_argument(
            f"--shard-tls-{name}",
            metavar="FILE",
            help=f"{text} (mutual TLS to the shards; env {env})",
        )
    add_config_arg(gateway)

    cluster = sub.add_parser("cluster", help="inspect the cluster")
    csub = cluster.add_subparsers(dest="action", required=True, metavar="ACTION")
    status = csub.add_parser("status", help="members, their partitions and lease ages")
    status.set_defaults(run=cluster_status)
    db_arg(status)
    output_args(status)
    forget = csub.add_parser(
        "forget",
        help="remove an expired member from the cluster's list (a live one is refused)",
    )
    forget.set_defaults(run=cluster_forget)
    forget.add_argument("member", help="the member's id, as `cluster status` shows it")
    db_arg(forget)
    output_args(forget)

    from stepway.cli_admin import add_connection_args, add_key_commands

    keys = sub.add_parser("keys", help="API keys")
    ksub = keys.add_subparsers(dest="action", required=True, metavar="ACTION")
    create = ksub.add_parser(
        "create",
        help="create an API key; prints the key last",
        description="Creates an API key and prints it last. With --db (or STEPWAY_DB) it writes "
        "the database directly and creates the account if needed: the way to make the first "
        "key of a cluster. Without, it asks a gateway with an admin key.",
    )
    create.set_defaults(run=keys_create)
    db_arg(create, required=False)
    create.add_argument("--account", required=True, help="account name")
    create.add_argument("--role", choices=ROLES, default="client", help="default %(default)s")
    create.add_argument("--name", default="", help="a label for the key (default: the role)")
    create.add_argument(
        "--operator",
        action="store_true",
        help="with --db: create the account as an operator account, whose admin keys manage "
        "every account",
    )
    create.add_argument(
        "--key-file",
        metavar="FILE",
        help="with --db: store the key held in FILE (a mounted Secret) instead of making one; "
        f"{KEY_FILE_RULE}; running it again is a no-op, and the key is never printed",
    )
    output_args(create)
    add_connection_args(create)
    add_key_commands(ksub)
