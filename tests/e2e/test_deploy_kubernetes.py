"""deploy/kubernetes: the base and each overlay, rendered (tests/kustomize.py), validate
offline against the Kubernetes schemas that kubernetes-validate bundles, and hold what a
production cluster needs: gateways with a Service, an HPA and a PodDisruptionBudget, shard
servers whose grace period outlasts the partition hand-over with a preStop drain, health
probes, the database URL and certificates from Secrets, a migrate Job, and a NetworkPolicy
that lets only gateways reach the shard servers."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

import kubernetes_validate
import pytest
import yaml

from tests.kustomize import render

ROOT = Path(__file__).resolve().parents[2]
KUBERNETES = ROOT / "deploy" / "kubernetes"
TARGETS = ["base", "overlays/production", "overlays/small"]
# The oldest Kubernetes minor version the manifests promise to work on.
VERSION = "1.30.0"


def rendered(target: str) -> dict[tuple[str, str], dict[str, Any]]:
    return {(d["kind"], d["metadata"]["name"]): d for d in render(KUBERNETES / target)}


def test_every_overlay_directory_is_rendered_by_the_tests() -> None:
    overlays = {f"overlays/{p.name}" for p in (KUBERNETES / "overlays").iterdir()}
    assert {"base", *overlays} == set(TARGETS)


@pytest.mark.parametrize("target", TARGETS)
def test_every_rendered_manifest_validates_against_the_kubernetes_schemas(target: str) -> None:
    for document in rendered(target).values():
        kubernetes_validate.validate(document, VERSION, strict=True)


def test_the_schema_check_refuses_a_misspelt_field() -> None:
    document = rendered("base")[("Deployment", "stepway-gateway")]
    document["spec"]["replica"] = 2
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(document, VERSION, strict=True)


# kubectl is not part of the project's CI tools; where an engineer has it, it checks the renderer.
@pytest.mark.skipif(shutil.which("kubectl") is None, reason="kubectl is not installed")
@pytest.mark.parametrize("target", TARGETS)
def test_the_renderer_agrees_with_kubectl_kustomize(target: str) -> None:
    out = subprocess.run(
        ["kubectl", "kustomize", str(KUBERNETES / target)],
        check=True,
        capture_output=True,
        text=True,
        timeout=60,
    ).stdout
    theirs = {(d["kind"], d["metadata"]["name"]): d for d in yaml.safe_load_all(out) if d}
    assert theirs == rendered(target)


@pytest.mark.parametrize("target", TARGETS)
def test_gateways_have_a_service_an_autoscaler_and_a_disruption_budget(target: str) -> None:
    found = rendered(target)
    for kind in ("Deployment", "Service", "HorizontalPodAutoscaler", "PodDisruptionBudget"):
        assert (kind, "stepway-gateway") in found, kind
    hpa = found[("HorizontalPodAutoscaler", "stepway-gateway")]["spec"]
    assert hpa["minReplicas"] >= 2


@pytest.mark.parametrize("target", TARGETS)
def test_shard_servers_outlast_the_hand_over_and_drain_before_they_stop(target: str) -> None:
    shard = rendered(target)[("StatefulSet", "stepway-shard")]["spec"]["template"]["spec"]
    container = shard["containers"][0]
    # The hand-over takes seconds; a partition lease lasts 10 s when a stop overruns.
    assert shard["terminationGracePeriodSeconds"] > 10 * 3
    assert "kill -TERM 1" in " ".join(container["lifecycle"]["preStop"]["exec"]["command"])
    assert container["args"][0] == "shard"
    env = {e["name"]: e for e in container["env"]}
    assert env["STEPWAY_ADVERTISE"]["value"] == "$(POD_NAME).stepway-shard:7301"


@pytest.mark.parametrize("target", TARGETS)
def test_every_server_probes_its_grpc_health_and_reads_its_secrets(target: str) -> None:
    found = rendered(target)
    for kind, name, port in (
        ("Deployment", "stepway-gateway", "7300"),
        ("StatefulSet", "stepway-shard", "7301"),
    ):
        pod = found[(kind, name)]["spec"]["template"]["spec"]
        container = pod["containers"][0]
        env = {e["name"]: e for e in container["env"]}
        assert env["STEPWAY_HEALTH_ADDRESS"]["value"] == f"127.0.0.1:{port}"
        for probe in ("readinessProbe", "livenessProbe"):
            assert container[probe]["exec"]["command"] == ["stepway-healthcheck"]
        assert env["STEPWAY_DB"]["valueFrom"]["secretKeyRef"] == {
            "name": "stepway-db",
            "key": "url",
        }
        secrets = {v["secret"]["secretName"] for v in pod["volumes"] if "secret" in v}
        assert secrets == {"stepway-db", "stepway-tls"}
        assert pod["securityContext"]["runAsNonRoot"] is True
    job = found[("Job", "stepway-migrate")]["spec"]["template"]["spec"]
    assert job["containers"][0]["args"] == ["migrate"]


@pytest.mark.parametrize("target", TARGETS)
def test_only_gateways_reach_the_shard_servers_grpc_port(target: str) -> None:
    found = rendered(target)
    policy = found[("NetworkPolicy", "stepway-shard")]["spec"]
    shard_labels = found[("StatefulSet", "stepway-shard")]["spec"]["template"]["metadata"]["labels"]
    gateway_labels = found[("Deployment", "stepway-gateway")]["spec"]["template"]["metadata"][
        "labels"
    ]
    assert policy["podSelector"]["matchLabels"] == shard_labels
    grpc = [
        rule for rule in policy["ingress"] if {"protocol": "TCP", "port": 7301} in rule["ports"]
    ]
    assert grpc == [
        {
            "from": [{"podSelector": {"matchLabels": gateway_labels}}],
            "ports": [{"protocol": "TCP", "port": 7301}],
        }
    ]


def test_the_cockroachdb_cluster_is_a_secure_three_node_crdbcluster() -> None:
    document = yaml.safe_load((KUBERNETES / "cockroachdb" / "crdbcluster.yaml").read_text())
    assert document["kind"] == "CrdbCluster"
    assert (document["spec"]["nodes"], document["spec"]["tlsEnabled"]) == (3, True)


@pytest.mark.parametrize("target", TARGETS)
def test_the_bootstrap_job_stores_the_operator_key_from_its_secret(target: str) -> None:
    job = rendered(target)[("Job", "stepway-bootstrap")]["spec"]["template"]["spec"]
    args = job["containers"][0]["args"]
    assert args[:3] == ["keys", "create", "--operator"]
    assert "--key-file=/etc/stepway/bootstrap/operator-key" in args
    secrets = {v["secret"]["secretName"] for v in job["volumes"] if "secret" in v}
    assert "stepway-bootstrap" in secrets
