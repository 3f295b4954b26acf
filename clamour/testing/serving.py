"""Running Clamour as an operator does, for tests: `manage.py demo` then `manage.py
serve` in a subprocess, and the processes it starts."""

import os
import signal
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def children(pid: int) -> list[tuple[int, str]]:
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
            found.append((int(entry.name), cmdline))
    return found


def workers_of(pid: int) -> list[int]:
    return [child for child, cmd in children(pid) if " worker" in cmd and "granian" not in cmd]


@contextmanager
def serving_demo(var, database_path, **settings):
    """`manage.py demo --no-serve`, then `manage.py serve` (one web process of two
    threads, one task worker) on the demo data, as an operator runs them, with
    `settings` exported besides; yields the port, and stops the server with SIGTERM."""
    port = free_port()
    env = {**os.environ, "CLAMOUR_VAR_DIR": str(var), "PORT": str(port),
           "DATABASE_URL": f"sqlite:///{database_path}", "WEB_WORKERS": "1",
           "WEB_THREADS": "2", "WORKER_PROCESSES": "1",
           "SITE_URL": f"http://127.0.0.1:{port}", "ALLOWED_HOSTS": "127.0.0.1", **settings}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env.pop("REDIS_URL", None)
    subprocess.run([sys.executable, "manage.py", "demo", "--no-serve"], cwd=REPO, env=env,
                   check=True, capture_output=True, timeout=300)
    serve = subprocess.Popen([sys.executable, "manage.py", "serve"], cwd=REPO, env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        yield port
    finally:
        serve.send_signal(signal.SIGTERM)
        serve.communicate(timeout=60)


def wait_for(check, seconds=60.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if result := check():
            return result
        time.sleep(0.2)
    raise AssertionError("timed out")
