"""`manage.py serve` as an operator runs it: granian, the task workers, restarts, stop."""

import os
import signal
import subprocess
import sys
import urllib.request

import pytest

from clamour.testing.serving import REPO, free_port, wait_for, workers_of


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
