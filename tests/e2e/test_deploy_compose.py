"""The compose files of deploy/compose/ parse and validate against the Compose specification
(its JSON schema, vendored in tests/data with its licence), and what they name exists: the
services they depend on, the volumes, the files they mount, the processes Prometheus scrapes.
No container runtime runs here; `docker compose config` would check the same and more."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = ROOT / "deploy" / "compose"
FILES = ("docker-compose.yml", "docker-compose.postgres.yml")
SCHEMA = json.loads((ROOT / "tests" / "data" / "compose-spec.json").read_text())


def load(name: str) -> dict[str, Any]:
    document = yaml.safe_load((COMPOSE / name).read_text())
    assert isinstance(document, dict)
    return document


def schema_errors(document: Any) -> list[str]:
    # The schema names draft-07 by a URI jsonschema does not know without its trailing "#".
    validator = jsonschema.Draft7Validator(SCHEMA)
    return [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(document)]


@pytest.mark.parametrize("name", FILES)
def test_the_compose_file_validates_against_the_compose_specification(name: str) -> None:
    assert schema_errors(load(name)) == []


def test_the_vendored_schema_is_a_valid_draft_07_schema() -> None:
    jsonschema.Draft7Validator.check_schema(SCHEMA)


def test_the_schema_check_refuses_a_service_the_specification_does_not_allow() -> None:
    assert schema_errors({"services": {"x": {"image": "a", "restart_policy": "always"}}})


@pytest.mark.parametrize("name", FILES)
def test_what_a_compose_file_names_exists(name: str) -> None:
    document = load(name)
    services = document["services"]
    volumes = set(document.get("volumes", {}))
    for service_name, service in services.items():
        depends = service.get("depends_on", {})
        assert set(depends) <= set(services), (service_name, depends)
        for mount in service.get("volumes", []):
            source = mount.split(":")[0]
            if source.startswith("."):
                assert (COMPOSE / source).exists(), (service_name, source)
            else:
                assert source in volumes, (service_name, source)


@pytest.mark.parametrize("name", FILES)
def test_the_cluster_has_three_shards_two_gateways_and_a_health_check_on_each(name: str) -> None:
    services = load(name)["services"]
    shards = [s for s in services if s.startswith("shard-")]
    gateways = [s for s in services if s.startswith("gateway-")]
    assert (len(shards), len(gateways)) == (3, 2)
    for s in shards + gateways:
        assert services[s]["healthcheck"]["test"] == ["CMD", "stepway-healthcheck"]
    for s in shards:
        assert services[s]["command"][0] == "shard"
        assert services[s]["environment"]["STEPWAY_HEALTH_ADDRESS"] == "127.0.0.1:7301"
        assert services[s]["stop_grace_period"] == "30s"
    advertised = {services[s]["environment"]["STEPWAY_ADVERTISE"] for s in shards}
    assert advertised == {f"{s}:7301" for s in shards}
    assert services["migrate"]["command"] == ["migrate"]
    assert {"otel-collector", "prometheus", "grafana"} <= set(services)


@pytest.mark.parametrize(
    ("name", "prometheus"),
    [
        ("docker-compose.yml", "prometheus.yml"),
        ("docker-compose.postgres.yml", "prometheus-postgres.yml"),
    ],
)
def test_prometheus_scrapes_every_process_of_the_cluster(name: str, prometheus: str) -> None:
    services = load(name)["services"]
    config = yaml.safe_load((COMPOSE / "prometheus" / prometheus).read_text())
    targets = {
        t.split(":")[0]
        for job in config["scrape_configs"]
        for static in job["static_configs"]
        for t in static["targets"]
    }
    jobs = {"certs", "roach-init", "migrate", "prometheus", "grafana", "postgres"}
    assert targets == set(services) - jobs


def test_the_grafana_dashboard_uses_the_provisioned_prometheus() -> None:
    dashboard = json.loads((COMPOSE / "grafana" / "dashboards" / "stepway.json").read_text())
    source = yaml.safe_load(
        (COMPOSE / "grafana" / "provisioning" / "datasources" / "prometheus.yml").read_text()
    )
    uids = {t["datasource"]["uid"] for p in dashboard["panels"] for t in p.get("targets", [])}
    assert uids == {source["datasources"][0]["uid"]}
    metrics = (ROOT / "shards" / "metrics.py").read_text()
    for name in set(re.findall(r"stepway_[a-z_]+", json.dumps(dashboard))):
        base = re.sub(r"_(total|bucket|sum|count)$", "", name)
        assert f'"{base}"' in metrics, name
