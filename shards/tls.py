"""TLS for the servers: certificates read from files and read again when the files change.

A server's certificate and key are two PEM files. gRPC asks `CertificateFiles.fetch` at each
new handshake (grpc's certificate configuration fetcher); when either file changed since it was
last read, the pair is read again, checked (the key must match the certificate) and served to
the next connection, so rotating a certificate needs no restart. A pair caught half-written is
not served: the previous one stays until the files agree. The web console's HTTPS context is
swapped the same way (`https_context`).

With `client_ca` (shard servers) the server asks every caller for a certificate issued by that
CA: mutual TLS, so only holders of a cluster certificate reach a shard.
"""

from __future__ import annotations

import logging
import os
import ssl
import threading
from dataclasses import dataclass
from pathlib import Path

import grpc

log = logging.getLogger(__name__)

LOOPBACK_HOSTS = ("localhost", "127.0.0.1", "[::1]", "::1")


@dataclass(frozen=True)
class ServerTLS:
    """A server's certificate chain and key files; client_ca: callers must present a
    certificate issued by this CA (mutual TLS)."""

    cert: str
    key: str
    client_ca: str | None = None


@dataclass(frozen=True)
class ClientTLS:
    """What a process trusts when it calls a TLS server (ca: PEM file; None: the system's
    roots), and its own certificate for a server that asks for one (mutual TLS)."""

    ca: str | None = None
    cert: str | None = None
    key: str | None = None


class CertificateError(ValueError):
    """The certificate files cannot be used: missing, unreadable, or a key that does not
    match its certificate."""


def _stamp(path: str) -> tuple[int, int, int]:
    st = os.stat(path)
    return (st.st_mtime_ns, st.st_size, st.st_ino)


def _read_pair(cert: str, key: str) -> tuple[bytes, bytes]:
    """The PEM bytes of a certificate chain and its key, once they are known to match."""
    try:
        chain, private = Path(cert).read_bytes(), Path(key).read_bytes()
        ssl.create_default_context(ssl.Purpose.CLIENT_AUTH).load_cert_chain(cert, key)
    except (OSError, ssl.SSLError) as exc:
        raise CertificateError(f"cannot use certificate {cert} with key {key}: {exc}") from None
    return chain, private


class CertificateFiles:
    """A certificate and key on disk, read again when either file changes."""

    def __init__(self, tls: ServerTLS) -> None:
        self.tls = tls
        self._lock = threading.Lock()
        self._stamps = self._current_stamps()
        self.chain, self.key = _read_pair(tls.cert, tls.key)
        self._client_ca = self._read_ca()
        # How many times a changed pair was taken (the first read included).
        self.version = 1

    def _current_stamps(self) -> tuple[tuple[int, int, int], ...]:
        paths = [self.tls.cert, self.tls.key]
        if self.tls.client_ca:
            paths.append(self.tls.client_ca)
        try:
            return tuple(_stamp(p) for p in paths)
        except OSError as exc:
            raise CertificateError(f"cannot read a TLS file: {exc}") from None

    def _read_ca(self) -> bytes | None:
        if self.tls.client_ca is None:
            return None
        try:
            return Path(self.tls.client_ca).read_bytes()
        except OSError as exc:
            raise CertificateError(f"cannot read CA {self.tls.client_ca}: {exc}") from None

    def refresh(self) -> bool:
        """Reads the files again if they changed; True when a new pair was taken. A pair
        that cannot be used is logged and the one in use is kept."""
        with self._lock:
            try:
                stamps = self._current_stamps()
                if stamps == self._stamps:
                    return False
                chain, key = _read_pair(self.tls.cert, self.tls.key)
                ca = self._read_ca()
            except CertificateError as exc:
                log.warning("keeping the certificate in use: %s", exc)
                return False
            self._stamps, self.chain, self.key, self._client_ca = stamps, chain, key, ca
            self.version += 1
        log.info("serving the new certificate in %s", self.tls.cert)
        return True

    def configuration(self) -> grpc.ServerCertificateConfiguration:
        return grpc.ssl_server_certificate_configuration(
            [(self.key, self.chain)], root_certificates=self._client_ca
        )

    def fetch(self) -> grpc.ServerCertificateConfiguration | None:
        """gRPC's fetcher, called at each new handshake: a new configuration when the files
        changed, else None (keep the one in use)."""
        return self.configuration() if self.refresh() else None


def server_credentials(files: CertificateFiles) -> grpc.ServerCredentials:
    """gRPC server credentials that serve files' current pair, asking callers for a
    certificate when files.tls has a client CA."""
    return grpc.dynamic_ssl_server_credentials(
        files.configuration(),
        # grpc-stubs types the fetcher without its documented None (keep the current pair).
        files.fetch,  # type: ignore[arg-type]
        require_client_authentication=files.tls.client_ca is not None,
    )


def channel_credentials(tls: ClientTLS) -> grpc.ChannelCredentials:
    """gRPC channel credentials that verify the server with tls.ca (or the system's roots)
    and present tls.cert when given."""
    try:
        ca = Path(tls.ca).read_bytes() if tls.ca else None
        cert = Path(tls.cert).read_bytes() if tls.cert else None
        key = Path(tls.key).read_bytes() if tls.key else None
    except OSError as exc:
        raise CertificateError(f"cannot read a TLS file: {exc}") from None
    return grpc.ssl_channel_credentials(
        root_certificates=ca, private_key=key, certificate_chain=cert
    )


def https_context(files: CertificateFiles) -> ssl.SSLContext:
    """An HTTPS server context for files' pair that takes a changed pair at the next
    handshake (the context is swapped in the handshake's server-name callback)."""
    state = {"version": files.version, "context": _https_context(files)}

    def pick(sock: ssl.SSLObject | ssl.SSLSocket, name: str | None, _: ssl.SSLContext) -> None:
        files.refresh()
        if state["version"] != files.version:
            state["context"], state["version"] = _https_context(files), files.version
        context = state["context"]
        assert isinstance(context, ssl.SSLContext)
        sock.context = context

    first = state["context"]
    assert isinstance(first, ssl.SSLContext)
    first.sni_callback = pick
    return first


def _https_context(files: CertificateFiles) -> ssl.SSLContext:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(files.tls.cert, files.tls.key)
    return context


def is_loopback(listen: str) -> bool:
    """Whether a HOST:PORT listens on this machine only."""
    return listen.rpartition(":")[0] in LOOPBACK_HOSTS


def plaintext_warning(listen: str, what: str) -> str:
    """The start-up line of a server without TLS: a note on loopback, a warning elsewhere."""
    if is_loopback(listen):
        return f"{what} serves plaintext gRPC on loopback (development; --tls-cert/--tls-key: TLS)"
    return (
        f"WARNING: {what} serves plaintext gRPC on {listen}, reachable from other machines: "
        "API keys and payloads cross the network in the clear; use --tls-cert and --tls-key"
    )
