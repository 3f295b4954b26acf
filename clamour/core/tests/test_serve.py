"""`manage.py serve` as an operator runs it: granian, the task workers, restarts, stop."""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[3]


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


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_serve_runs_the_web_and_its_task_workers_and_restarts_a_dead_worker(tmp_path):
    port = free_port()
    env = {**os.environ, "CLAMOUR_VAR_DIR": str(tmp_path), "PORT": str(port),
           "WORKER_PROCESSES": "2", "WEB_WORKERS": "1", "WEB_THREADS": "2",
           "DATABASE_URL": f"sqlite:///{tmp_path}/serve.sqlite3"}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    serve = subprocess.Popen([sys.executable, "manage.py", "serve"], cwd=REPO, env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        def healthy():
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as r:
                    return r.status == 200
            except OSError:
                return False

        wait_for(healthy, 120)
        def two_workers(without=None):
            found = workers_of(serve.pid)
            return found if len(found) == 2 and without not in found else None

        first = wait_for(two_workers)
        os.kill(first[0], signal.SIGKILL)
        again = wait_for(lambda: two_workers(without=first[0]))
        assert first[1] in again  # the other worker was left alone
    finally:
        serve.send_signal(signal.SIGTERM)
        output = serve.communicate(timeout=60)[0].decode()
    assert serve.returncode == 0, output
    assert "2 task worker(s)" in output and "restarting it" in output
    assert workers_of(serve.pid) == []
