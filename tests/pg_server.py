"""A throw-away PostgreSQL server for the tests, CI and benchmarks (Debian's packages).

``start()`` makes a cluster in a temporary folder (initdb, trust authentication for the
``postgres`` superuser, listening on a free loopback port only, fsync off: the data is thrown
away) and returns a ``Server``; ``stop()`` stops it and removes the folder. When run as root the
server runs as the ``postgres`` system user, as PostgreSQL insists. Nothing here touches a
cluster that Debian's own ``pg_ctlcluster`` manages.

    python tests/pg_server.py start DIR   # prints the server's URL; the cluster lives in DIR
    python tests/pg_server.py stop DIR
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path


class ServerUnavailable(Exception):
    """PostgreSQL is not installed here, or its server would not start."""


@dataclass
class Server:
    folder: Path
    port: int

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}"

    def stop(self) -> None:
        stop(self.folder)


def binaries() -> Path:
    """The folder of initdb and pg_ctl: on PATH, else Debian's newest /usr/lib/postgresql/N/bin."""
    found = shutil.which("initdb")
    if found:
        return Path(found).parent
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"),
                        key=lambda p: int(Path(p).parent.parent.name) if Path(p).parent.parent.name.isdigit() else 0)
    if not candidates:
        raise ServerUnavailable("PostgreSQL's server is not installed (apt-get install postgresql)")
    return Path(candidates[-1]).parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _as_server_user(argv: list[str]) -> list[str]:
    if os.geteuid() != 0:
        return argv
    if shutil.which("runuser"):
        return ["runuser", "-u", "postgres", "--", *argv]
    return ["su", "postgres", "-s", "/bin/sh", "-c", " ".join(f"'{a}'" for a in argv)]


def _run(argv: list[str]) -> None:
    result = subprocess.run(_as_server_user(argv), capture_output=True, text=True)
    if result.returncode != 0:
        raise ServerUnavailable(f"{Path(argv[0]).name} failed: {(result.stderr or result.stdout).strip()[-400:]}")


WATCHDOG = """
import os, sys, time
sys.path.insert(0, sys.argv[3])
import pg_server
owner, folder = int(sys.argv[1]), sys.argv[2]
while True:
    try:
        os.kill(owner, 0)
    except ProcessLookupError:
        break
    time.sleep(1)
pg_server.stop(folder)
"""


def start(folder: str | Path | None = None, *, owner_pid: int | None = None) -> Server:
    """Start a server; with ``owner_pid``, it is stopped (and its folder removed) when that process
    ends, even if it is killed before it can stop the server itself."""
    bin_dir = binaries()
    folder = Path(folder or tempfile.mkdtemp(prefix="masg-pg-"))
    folder.mkdir(parents=True, exist_ok=True)
    data = folder / "data"
    if os.geteuid() == 0:
        try:
            import pwd

            entry = pwd.getpwnam("postgres")
        except KeyError:
            raise ServerUnavailable("there is no 'postgres' system user to run the server as") from None
        os.chown(folder, entry.pw_uid, entry.pw_gid)
        os.chmod(folder, 0o700)
    _run([str(bin_dir / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust",
          "--encoding=UTF8", "--locale=C.UTF-8", "--no-sync"])
    port = free_port()
    options = (f"-p {port} -c listen_addresses=127.0.0.1 -c unix_socket_directories={folder} "
               "-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200")
    _run([str(bin_dir / "pg_ctl"), "-D", str(data), "-l", str(folder / "server.log"),
          "-o", options, "-w", "-t", "60", "start"])
    (folder / "port").write_text(str(port))
    server = Server(folder, port)
    if owner_pid:
        subprocess.Popen([sys.executable, "-c", WATCHDOG, str(owner_pid), str(folder), str(Path(__file__).parent)],
                         stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                         start_new_session=True)
    _wait_until_ready(server)
    return server


def _wait_until_ready(server: Server) -> None:
    import psycopg

    deadline = time.monotonic() + 30
    while True:
        try:
            psycopg.connect(f"host=127.0.0.1 port={server.port} user=postgres dbname=postgres").close()
            return
        except psycopg.OperationalError:
            if time.monotonic() > deadline:
                raise ServerUnavailable("the PostgreSQL server did not accept connections") from None
            time.sleep(0.1)


def stop(folder: str | Path) -> None:
    folder = Path(folder)
    data = folder / "data"
    if (data / "postmaster.pid").exists():
        try:
            pg_ctl = binaries() / "pg_ctl"
        except ServerUnavailable:
            pg_ctl = None
        if pg_ctl:
            subprocess.run(_as_server_user([str(pg_ctl), "-D", str(data), "-m", "immediate", "-w", "stop"]),
                           capture_output=True)
    shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[1] not in ("start", "stop"):
        sys.exit("usage: python tests/pg_server.py start|stop DIR")
    if sys.argv[1] == "start":
        try:
            print(start(sys.argv[2]).url)
        except ServerUnavailable as exc:
            sys.exit(f"PostgreSQL could not start: {exc}")
    else:
        stop(sys.argv[2])
