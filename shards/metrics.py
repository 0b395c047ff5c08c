"""Prometheus metrics of a server process, served on `--metrics HOST:PORT` at /metrics.

Each server (shard, gateway, or `stepway dev` with both) has its own registry, so that several
servers in one test process never share counters. Labels are bounded: accounts (by id),
workflows, task queues, statuses, outcomes and quota names; never instance ids.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable
from typing import Any

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, start_http_server
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

log = logging.getLogger(__name__)

# Seconds: from a millisecond step to a ten-minute one.
STEP_BUCKETS = (0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1.0, 5.0, 30.0, 120.0, 600.0)
TX_BUCKETS = (0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1.0, 5.0)
# Seconds from a schedule's fire time to its instance's creation: on time to a catch-up window.
LAG_BUCKETS = (0.01, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 15.0, 60.0, 300.0)


class Metrics:
    """Every metric a Stepway server exports."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        r = self.registry
        self.instances_created = Counter(
            "stepway_instances_created", "Instances created.", ["account", "workflow"], registry=r
        )
        self.instances_finished = Counter(
            "stepway_instances_finished",
            "Instances that ended, by final status (complete, errored, terminated).",
            ["account", "workflow", "status"],
            registry=r,
        )
        self.step_attempts = Counter(
            "stepway_step_attempts",
            "Step attempts recorded, by outcome (succeeded, failed).",
            ["account", "workflow", "outcome"],
            registry=r,
        )
        self.step_seconds = Histogram(
            "stepway_step_duration_seconds",
            "Time from a step attempt's start (as the worker reports it) to its record.",
            ["workflow"],
            buckets=STEP_BUCKETS,
            registry=r,
        )
        self.quota_rejections = Counter(
            "stepway_quota_rejections",
            "Calls, creations or steps a quota refused.",
            ["account", "quota"],
            registry=r,
        )
        self.schedule_fires = Counter(
            "stepway_schedule_fires",
            "Schedule fires, by outcome (created, existing, skipped, missed, refused).",
            ["account", "outcome"],
            registry=r,
        )
        self.schedule_lag = Histogram(
            "stepway_schedule_lag_seconds",
            "From a schedule fire's scheduled time to its instance's creation.",
            buckets=LAG_BUCKETS,
            registry=r,
        )
        self.partitions_owned = Gauge(
            "stepway_partitions_owned", "Partitions this shard server holds.", registry=r
        )
        self.lease_renewals = Counter(
            "stepway_lease_renewals",
            "Membership heartbeats that renewed this server's partition leases.",
            registry=r,
        )
        self.fence_refusals = Counter(
            "stepway_fence_refusals",
            "Write operations refused because their partition was not this server's.",
            registry=r,
        )
        self.tx_seconds = Histogram(
            "stepway_db_transaction_seconds",
            "Write transactions (group-commit batches), retries included.",
            buckets=TX_BUCKETS,
            registry=r,
        )
        self.tx_retries = Counter(
            "stepway_db_transaction_retries",
            "Write transactions run again after a serialization failure or a lock.",
            registry=r,
        )
        self.internal_errors = Counter(
            "stepway_internal_errors",
            "Calls (and batched writes) answered INTERNAL, per gRPC method: each is a server "
            "bug, since client input is never answered INTERNAL.",
            ["method"],
            registry=r,
        )
        self._server: Any = None

    def watch_queues(self, depths: Callable[[], Iterable[tuple[str, str, int]]]) -> None:
        """Exports the ready queues' depths, read at each scrape: (account, task queue, depth)."""
        self.registry.register(
            _QueueDepths(
                depths,
                "stepway_ready_instances",
                "Instances in this shard server's ready queues, per (account, task queue).",
            )
        )

    def watch_step_queues(self, depths: Callable[[], Iterable[tuple[str, str, int]]]) -> None:
        """Exports the step task queues' depths, read at each scrape."""
        self.registry.register(
            _QueueDepths(
                depths,
                "stepway_ready_step_tasks",
                "Ready tasks of CALL steps in this shard server's step task queues, per "
                "(account, task queue).",
            )
        )

    def watch_backlog(self, backlog: Callable[[], Iterable[tuple[str, str, int, float]]]) -> None:
        """Exports queued instances per workflow and the age of the oldest, read at each
        scrape: (account, workflow, queued, oldest age in seconds)."""
        self.registry.register(_Backlog(backlog))

    def serve(self, address: str) -> int:
        """Serves /metrics on HOST:PORT (port 0 picks a free one) in a thread; answers the port."""
        host, _, port = address.rpartition(":")
        server, _thread = start_http_server(
            int(port), addr=host or "0.0.0.0", registry=self.registry
        )
        self._server = server
        bound = int(server.server_address[1])
        log.info("metrics on http://%s:%d/metrics", host or "0.0.0.0", bound)
        return bound

    def close(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None


class _QueueDepths(Collector):
    def __init__(
        self, depths: Callable[[], Iterable[tuple[str, str, int]]], name: str, help: str
    ) -> None:
        self._depths = depths
        self._name = name
        self._help = help
        self._lock = threading.Lock()

    def collect(self) -> Iterable[GaugeMetricFamily]:
        family = GaugeMetricFamily(self._name, self._help, labels=["account", "task_queue"])
        with self._lock:
            for account, task_queue, depth in self._depths():
                family.add_metric([account, task_queue], depth)
        yield family


class _Backlog(Collector):
    def __init__(self, backlog: Callable[[], Iterable[tuple[str, str, int, float]]]) -> None:
        self._backlog = backlog

    def collect(self) -> Iterable[GaugeMetricFamily]:
        queued = GaugeMetricFamily(
            "stepway_queued_instances",
            "Queued instances per workflow in this shard server's partitions.",
            labels=["account", "workflow"],
        )
        oldest = GaugeMetricFamily(
            "stepway_oldest_queued_seconds",
            "How long the oldest queued instance of a workflow has waited, per workflow.",
            labels=["account", "workflow"],
        )
        try:
            rows = list(self._backlog())
        except Exception:
            log.exception("could not read the backlog for /metrics")
            rows = []
        for account, workflow, count, age in rows:
            queued.add_metric([account, workflow], count)
            oldest.add_metric([account, workflow], age)
        yield queued
        yield oldest
