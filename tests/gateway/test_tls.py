"""TLS: clients verify a gateway with a CA, shard servers take calls only from holders of a
cluster certificate (mutual TLS), and a certificate replaced on disk is served to the next
connection without a restart. Certificates are made here, with the `cryptography` package."""

from __future__ import annotations

import asyncio
import datetime
import ipaddress
import json
import os
import shutil
import socket
import ssl
import subprocess
import sys
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import grpc
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from gateway.commands.common import tls_banner
from gateway.config import GatewayConfig
from gateway.dev import DevConfig, DevServer, start_dev
from gateway.server import start_gateway
from shards.tls import ClientTLS, ServerTLS
from stepway import Client, Step, UnavailableError, Worker, WorkflowEvent, workflow
from stepway.v1 import workflow_service_pb2 as fpb
from stepway.v1 import workflow_service_pb2_grpc as fgrpc
from tests.clusters import PARTITIONS, open_cluster
from tests.helpers import eventually, needs
from tests.sdk.test_cli import Cli, command_env

ROOT = Path(__file__).resolve().parents[2]
NODE = shutil.which("node")
ONE_DAY = datetime.timedelta(days=1)


# ---------------------------------------------------------------------- certificates


@dataclass(frozen=True)
class Issuer:
    """A CA: its PEM file, and what signs the certificates it issues."""

    path: Path
    cert: x509.Certificate
    key: ec.EllipticCurvePrivateKey

    @classmethod
    def make(cls, directory: Path, name: str) -> Issuer:
        key = ec.generate_private_key(ec.SECP256R1())
        subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
        now = datetime.datetime.now(datetime.UTC)
        cert = (
            x509.CertificateBuilder()
            .subject_name(subject)
            .issuer_name(subject)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - ONE_DAY)
            .not_valid_after(now + ONE_DAY)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .add_extension(
                x509.KeyUsage(
                    digital_signature=True,
                    content_commitment=False,
                    key_encipherment=False,
                    data_encipherment=False,
                    key_agreement=False,
                    key_cert_sign=True,
                    crl_sign=True,
                    encipher_only=False,
                    decipher_only=False,
                ),
                critical=True,
            )
            .sign(key, hashes.SHA256())
        )
        path = directory / f"{name}.pem"
        path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
        return cls(path, cert, key)

    def issue(self, directory: Path, name: str) -> tuple[Path, Path, int]:
        """A certificate for localhost and 127.0.0.1 (server and client use): its file, its
        key's file and its serial number."""
        key = ec.generate_private_key(ec.SECP256R1())
        now = datetime.datetime.now(datetime.UTC)
        serial = x509.random_serial_number()
        cert = (
            x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)]))
            .issuer_name(self.cert.subject)
            .public_key(key.public_key())
            .serial_number(serial)
            .not_valid_before(now - ONE_DAY)
            .not_valid_after(now + ONE_DAY)
            .add_extension(
                x509.SubjectAlternativeName(
                    [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
                ),
                critical=False,
            )
            .add_extension(
                x509.ExtendedKeyUsage(
                    [ExtendedKeyUsageOID.SERVER_AUTH, ExtendedKeyUsageOID.CLIENT_AUTH]
                ),
                critical=False,
            )
            .sign(self.key, hashes.SHA256())
        )
        cert_path, key_path = directory / f"{name}.crt", directory / f"{name}.key"
        cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
        key_path.write_bytes(
            key.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        )
        return cert_path, key_path, serial


@pytest.fixture
def ca(tmp_path: Path) -> Issuer:
    return Issuer.make(tmp_path, "stepway-test-ca")


@pytest.fixture
async def tls_dev(tmp_path: Path, ca: Issuer) -> AsyncIterator[DevServer]:
    """A dev server that serves TLS (and its console HTTPS) with a certificate from ca."""
    cert, key, _ = ca.issue(tmp_path, "gateway")
    server = await start_dev(
        DevConfig(
            db_url=f"sqlite:///{tmp_path / 'tls.db'}",
            listen="127.0.0.1:0",
            http="127.0.0.1:0",
            console_sign_in=False,
            tls=ServerTLS(str(cert), str(key)),
            tls_ca=str(ca.path),
        )
    )
    try:
        yield server
    finally:
        await server.stop()


def served_serial(port: int, ca: Path) -> int:
    """The serial number of the certificate a new TLS connection to port is shown."""
    context = ssl.create_default_context(cafile=str(ca))
    context.set_alpn_protocols(["h2"])
    with context.wrap_socket(
        socket.create_connection(("127.0.0.1", port), timeout=5),
        server_hostname="127.0.0.1",
    ) as sock:
        der = sock.getpeercert(binary_form=True)
    assert der is not None
    return x509.load_der_x509_certificate(der).serial_number


@workflow("greet")
async def greet(event: WorkflowEvent, step: Step) -> Any:
    return await step.do("hello", lambda name: f"hello {name}", event.params)


# ---------------------------------------------------------------------- clients


async def test_python_sdk_and_its_worker_reach_a_tls_gateway_with_the_ca(
    tls_dev: DevServer, ca: Issuer
) -> None:
    client = await Client.connect(tls_dev.address, api_key=tls_dev.api_key, tls=ca.path)
    try:
        async with Worker(client, workflows=[greet]):
            handle = await client.create("greet", id="g1", params="ann")
            assert await handle.result(timeout=30) == "hello ann"
    finally:
        await client.close()


async def test_sdk_takes_the_ca_from_stepway_tls_ca(
    tls_dev: DevServer, ca: Issuer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("STEPWAY_TLS_CA", str(ca.path))
    async with await Client.connect(tls_dev.address, api_key=tls_dev.api_key) as client:
        assert (await client.server_info()).partitions > 0


async def test_tls_gateway_refuses_a_plaintext_client_and_a_client_without_its_ca(
    tls_dev: DevServer, tmp_path: Path
) -> None:
    with pytest.raises(UnavailableError):
        await Client.connect(tls_dev.address, api_key=tls_dev.api_key, tls=False, timeout=3)
    stranger = Issuer.make(tmp_path, "another-ca")
    with pytest.raises(UnavailableError):
        await Client.connect(tls_dev.address, api_key=tls_dev.api_key, tls=stranger.path, timeout=3)
    # The system's roots do not know the test CA either.
    with pytest.raises(UnavailableError):
        await Client.connect(tls_dev.address, api_key=tls_dev.api_key, tls=True, timeout=3)


async def test_cli_reaches_a_tls_gateway_with_tls_ca_or_its_variable_and_not_without(
    tls_dev: DevServer, ca: Issuer, tmp_path: Path
) -> None:
    env = command_env(tmp_path / "pycache")
    cli = Cli(env, tls_dev)
    listed = await cli("workflows", "list", "--output", "json", "--tls-ca", str(ca.path))
    assert listed.code == 0, listed
    assert isinstance(listed.json(), list | dict)
    from_env = await Cli({**env, "STEPWAY_TLS_CA": str(ca.path)}, tls_dev)("workflows", "list")
    assert from_env.code == 0, from_env
    refused = await cli("workflows", "list")
    assert refused.code == 1 and refused.err.startswith("error: cannot reach"), refused


@needs(NODE is not None, "node is not installed")
async def test_node_sdk_reaches_a_tls_gateway_with_the_ca_and_not_without(
    tls_dev: DevServer, ca: Issuer
) -> None:
    script = """
const { connect } = require('./sdk/node/src');
const [address, apiKey, ca] = process.argv.slice(1);
async function info(options) {
  const client = connect(address, { apiKey, ...options });
  try {
    const got = await client.admin.getServerInfo({}, { timeoutMs: 5000 });
    return { ok: true, partitions: got.partitions };
  } catch (err) {
    return { ok: false, code: err.code };
  } finally {
    client.close();
  }
}
(async () => {
  const out = { withCa: await info({ tls: ca }), plaintext: await info({ tls: false }) };
  process.env.STEPWAY_TLS_CA = ca;
  out.fromEnv = await info({});
  console.log(JSON.stringify(out));
})();
"""
    assert NODE is not None
    proc = await asyncio.create_subprocess_exec(
        NODE,
        "-e",
        script,
        tls_dev.address,
        tls_dev.api_key,
        str(ca.path),
        cwd=ROOT,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        env={k: v for k, v in os.environ.items() if not k.startswith("STEPWAY_")},
    )
    out, err = await asyncio.wait_for(proc.communicate(), 30)
    assert proc.returncode == 0, err.decode()
    got = json.loads(out)
    assert got["withCa"] == {"ok": True, "partitions": PARTITIONS_OF_DEV}
    assert got["fromEnv"]["ok"] is True
    assert got["plaintext"] == {"ok": False, "code": grpc.StatusCode.UNAVAILABLE.value[0]}


PARTITIONS_OF_DEV = DevConfig().partitions


async def test_console_serves_https_with_the_gateway_certificate(
    tls_dev: DevServer, ca: Issuer
) -> None:
    import aiohttp

    context = ssl.create_default_context(cafile=str(ca.path))
    async with aiohttp.ClientSession() as session:
        url = f"https://127.0.0.1:{tls_dev.http_port}/"
        async with session.get(url, ssl=context) as response:
            assert response.status == 200
        # The console calls its gateway over TLS: a key is checked through it.
        async with session.get(
            f"https://127.0.0.1:{tls_dev.http_port}/api/me",
            ssl=context,
            headers={"Authorization": f"Bearer {tls_dev.api_key}"},
        ) as response:
            assert response.status == 200, await response.text()


# ---------------------------------------------------------------------- rotation


async def test_certificate_replaced_on_disk_is_served_to_new_connections_without_restart(
    tls_dev: DevServer, ca: Issuer, tmp_path: Path
) -> None:
    assert tls_dev.config.tls is not None
    port = tls_dev.gateway.port
    first = await asyncio.to_thread(served_serial, port, ca.path)
    # The next certificate comes from a new CA, which the old clients do not trust.
    successor = Issuer.make(tmp_path, "next-ca")
    with pytest.raises(UnavailableError):
        await Client.connect(
            tls_dev.address, api_key=tls_dev.api_key, tls=successor.path, timeout=3
        )
    cert, key, serial = successor.issue(tmp_path, "gateway-next")
    # Written over the files in use, key first, as a rotation job does.
    os.replace(key, tls_dev.config.tls.key)
    os.replace(cert, tls_dev.config.tls.cert)
    assert await asyncio.to_thread(served_serial, port, successor.path) == serial != first
    async with await Client.connect(
        tls_dev.address, api_key=tls_dev.api_key, tls=successor.path
    ) as client:
        assert (await client.server_info()).partitions > 0
    # The console's HTTPS takes the new certificate too.
    http_port = tls_dev.http_port
    assert http_port is not None
    assert await asyncio.to_thread(served_serial, http_port, successor.path) == serial


async def test_a_half_written_certificate_pair_is_not_served(
    tls_dev: DevServer, ca: Issuer, tmp_path: Path
) -> None:
    assert tls_dev.config.tls is not None
    first = await asyncio.to_thread(served_serial, tls_dev.gateway.port, ca.path)
    # A new certificate whose key has not arrived yet: the pair in use stays.
    cert, _, _ = ca.issue(tmp_path, "gateway-next")
    os.replace(cert, tls_dev.config.tls.cert)
    assert await asyncio.to_thread(served_serial, tls_dev.gateway.port, ca.path) == first
    async with await Client.connect(tls_dev.address, api_key=tls_dev.api_key, tls=ca.path) as c:
        assert (await c.server_info()).partitions > 0


# ---------------------------------------------------------------------- shard servers


async def test_shard_server_refuses_a_caller_without_the_cluster_certificate(
    pg_url: str, tmp_path: Path
) -> None:
    cluster_ca = Issuer.make(tmp_path, "cluster-ca")
    shard_cert, shard_key, _ = cluster_ca.issue(tmp_path, "shard")
    gateway_cert, gateway_key, _ = cluster_ca.issue(tmp_path, "gateway")
    async with open_cluster(pg_url) as c:
        shard = await c.add_shard(
            "a", tls=ServerTLS(str(shard_cert), str(shard_key), client_ca=str(cluster_ca.path))
        )
        config = GatewayConfig(
            db_url=c.db_url,
            cluster_secret=c.secret,
            listen="127.0.0.1:0",
            route_refresh_seconds=0.2,
            shard_tls=ClientTLS(
                ca=str(cluster_ca.path), cert=str(gateway_cert), key=str(gateway_key)
            ),
        )
        gateway = await start_gateway(config, c.db, PARTITIONS)
        c.gateways.append(gateway)
        # The gateway holds a cluster certificate: calls go through it to the shard.
        async with await Client.connect(f"127.0.0.1:{gateway.port}", api_key=c.key) as client:
            await eventually(
                lambda: client.list_workflows(), lambda _: True, what="a call through the shard"
            )
            created = await client.create("greet", id="m1", task_queue="default")
            assert created.id == "m1"

        async def direct(credentials: grpc.ChannelCredentials | None) -> grpc.StatusCode:
            address = f"127.0.0.1:{shard.port}"
            channel = (
                grpc.aio.insecure_channel(address)
                if credentials is None
                else grpc.aio.secure_channel(address, credentials)
            )
            async with channel:
                stub = fgrpc.WorkflowServiceStub(channel)
                try:
                    await stub.GetInstance(fpb.GetInstanceRequest(), timeout=3)
                except grpc.aio.AioRpcError as err:
                    return err.code()
            return grpc.StatusCode.OK

        ca_only = grpc.ssl_channel_credentials(cluster_ca.path.read_bytes())
        stranger = Issuer.make(tmp_path, "stranger-ca")
        their_cert, their_key, _ = stranger.issue(tmp_path, "intruder")
        foreign = grpc.ssl_channel_credentials(
            cluster_ca.path.read_bytes(), their_key.read_bytes(), their_cert.read_bytes()
        )
        for credentials in (None, ca_only, foreign):
            assert await direct(credentials) is grpc.StatusCode.UNAVAILABLE


# ---------------------------------------------------------------------- start-up lines


def test_plaintext_says_so_at_start_and_warns_off_loopback() -> None:
    loopback = tls_banner(None, "127.0.0.1:7300", "gateway")
    assert "plaintext" in loopback and "WARNING" not in loopback
    wide = tls_banner(None, "0.0.0.0:7300", "gateway")
    assert wide.startswith("WARNING") and "--tls-cert" in wide
    on = tls_banner(ServerTLS("c.pem", "k.pem", "ca.pem"), "0.0.0.0:7301", "shard server")
    assert "TLS with c.pem" in on and "ca.pem" in on


def test_dev_command_prints_its_tls_line(tmp_path: Path, ca: Issuer) -> None:
    cert, key, _ = ca.issue(tmp_path, "gateway")
    env = {**command_env(tmp_path / "pycache"), "STEPWAY_TLS_CERT": str(cert)}
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "stepway",
            "dev",
            "--db",
            f"sqlite:///{tmp_path / 'cmd.db'}",
            "--listen",
            "127.0.0.1:0",
            "--http",
            "off",
            "--tls-key",
            str(key),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
        text=True,
    )
    try:
        assert proc.stdout is not None
        lines = [proc.stdout.readline() for _ in range(2)]
    finally:
        proc.terminate()
        proc.communicate(timeout=20)
    assert f"serves TLS with {cert}" in lines[1], lines
