"""A PostgreSQL server of a test's own, in a temporary directory on a free port, that the test
may stop and start again (the machine's shared server must never be stopped)."""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import stat
import subprocess
from pathlib import Path

from tests.helpers import free_port


def _bin_dir() -> Path | None:
    """Debian's PostgreSQL binaries (the newest version), else those of the pgserver package."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"))
    if found:
        return Path(found[-1]).parent
    try:
        import pgserver
    except ImportError:
        return None
    bundled = Path(pgserver.__file__).parent / "pginstall" / "bin"
    return bundled if (bundled / "pg_ctl").exists() else None


BIN = _bin_dir()


def _server_user() -> str:
    """A user to run PostgreSQL as when the tests run as root: Debian's `postgres`, or else
    the user the pgserver package makes for its own binaries (it also opens their folders)."""
    try:
        pwd.getpwnam("postgres")
        return "postgres"
    except KeyError:
        pass
    from pgserver.utils import (
        ensure_folder_permissions,
        ensure_prefix_permissions,
        ensure_user_exists,
    )

    assert BIN is not None
    ensure_user_exists("pgserver")
    ensure_prefix_permissions(BIN)
    ensure_folder_permissions(BIN, stat.S_IRGRP | stat.S_IROTH | stat.S_IXGRP | stat.S_IXOTH)
    ensure_folder_permissions(BIN.parent / "lib", stat.S_IRGRP | stat.S_IROTH)
    return "pgserver"


class PostgresProcess:
    """initdb once, then start and stop (fast or immediate) on the same port and data dir.

    PostgreSQL refuses to run as root: as root, its commands run as the `postgres` user."""

    def __init__(self, root: Path) -> None:
        assert BIN is not None, "no PostgreSQL binaries (initdb, pg_ctl) on this machine"
        self.root = root
        self.data = root / "data"
        self.port = free_port()
        self.url = f"postgresql://postgres@127.0.0.1:{self.port}/postgres"
        self._as_user: list[str] = []
        if os.geteuid() == 0:
            runuser = shutil.which("runuser")
            assert runuser is not None, "running as root needs runuser to start PostgreSQL"
            user = _server_user()
            self._as_user = [runuser, "-u", user, "--"]
            shutil.chown(root, user)
        self._run(
            "initdb", "-D", str(self.data), "-A", "trust", "-U", "postgres", "-E", "UTF8",
            "--no-sync",
        )  # fmt: skip

    def _run(self, tool: str, *args: str) -> None:
        assert BIN is not None
        subprocess.run(
            [*self._as_user, str(BIN / tool), *args],
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            timeout=60,
        )

    def start(self) -> None:
        """Starts the server and waits until it accepts connections."""
        options = f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off"
        log = str(self.root / "server.log")
        self._run("pg_ctl", "-D", str(self.data), "-o", options, "-l", log, "-w", "start")

    def stop(self, mode: str = "fast") -> None:
        """Stops the server: `fast` ends every session, `immediate` is a crash."""
        self._run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "stop")

    def running(self) -> bool:
        return (self.data / "postmaster.pid").exists()
