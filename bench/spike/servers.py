"""Start and stop a production server on 127.0.0.1, and read its processes' CPU and memory."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from .apps import AppSpec

KINDS = ("gunicorn-sync", "gunicorn-gthread", "granian", "uvicorn")


@dataclass(frozen=True)
class ServerConfig:
    kind: str
    workers: int
    threads: int = 1

    @classmethod
    def parse(cls, text: str) -> ServerConfig:
        """``gunicorn-gthread:2x8``, ``gunicorn-sync:4``, ``granian:2x8``, ``uvicorn:2``;
        ``granian:serve``: the shape `make serve` uses for each database (`for_db`)."""
        kind, _, shape = text.partition(":")
        if kind not in KINDS:
            raise SystemExit(f"unknown server {kind!r}; one of {KINDS}")
        if shape == "serve":
            return cls(kind, 0, 0)
        w, _, t = (shape or "2").partition("x")
        return cls(kind, int(w), int(t or 1))

    def for_db(self, db_name: str) -> ServerConfig:
        """This shape, with ``serve`` resolved as Clamour's settings resolve it."""
        if self.workers:
            return self
        from clamour.lib.config import default_web_shape

        workers, threads = default_web_shape("sqlite" if db_name.startswith("sqlite") else "other",
                                             os.cpu_count() or 1)
        return ServerConfig(self.kind, workers, threads)

    @property
    def label(self) -> str:
        return f"{self.kind}:{self.workers}x{self.threads}"

    def command(self, app: AppSpec, port: int) -> list[str]:
        py = [sys.executable, "-m"]
        if self.kind.startswith("gunicorn"):
            cmd = py + ["gunicorn", "-b", f"127.0.0.1:{port}", "-w", str(self.workers),
                        "--backlog", "2048", "--keep-alive", "5", "--log-level", "warning"]
            if self.kind == "gunicorn-gthread":
                cmd += ["-k", "gthread", "--threads", str(self.threads)]
            return cmd + [app.wsgi]
        if self.kind == "granian" and app.rsgi:
            return py + ["granian", "--interface", "rsgi", "--host", "127.0.0.1",
                         "--port", str(port), "--workers", str(self.workers),
                         "--blocking-threads", "1", "--backlog", "2048",
                         "--respawn-failed-workers", "--log-level", "warning", "--no-ws",
                         app.rsgi]
        if self.kind == "granian":
            return py + ["granian", "--interface", "wsgi", "--host", "127.0.0.1",
                         "--port", str(port), "--workers", str(self.workers),
                         "--blocking-threads", str(self.threads), "--backlog", "2048",
                         "--respawn-failed-workers",  # a worker that dies is replaced
                         "--log-level", "warning", "--no-ws", app.wsgi]
        if self.kind == "uvicorn":
            if not app.asgi:
                raise SystemExit(f"{app.name} has no ASGI entry point")
            return py + ["uvicorn", "--host", "127.0.0.1", "--port", str(port),
                         "--workers", str(self.workers), "--backlog", "2048",
                         "--log-level", "warning", "--no-access-log", app.asgi]
        raise AssertionError(self.kind)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, cfg: ServerConfig, app: AppSpec, env: dict, log: Path, cwd: Path):
        self.cfg, self.app = cfg, app
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = log
        self._logf = open(log, "wb")
        if cfg.kind == "granian" and app.rsgi:
            env = {**env, "WEB_THREADS": str(cfg.threads)}
        self.proc = subprocess.Popen(
            cfg.command(app, self.port), cwd=cwd, env=env, stdout=self._logf,
            stderr=subprocess.STDOUT, start_new_session=True,
        )

    def wait_ready(self, timeout: float = 30) -> None:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited ({self.proc.returncode}); see {self.log}")
            try:
                probe = self.app.ready_path or self.app.trivial_path
                with urllib.request.urlopen(self.url + probe, timeout=2) as r:
                    if r.status == 200 and (self.cfg.workers == 1 or len(self.workers()) >= self.cfg.workers):
                        return
            except OSError:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"server not ready after {timeout} s; see {self.log}")

    def workers(self) -> list[int]:
        """Worker processes: the server's descendants (minus helper processes)."""
        return [p for p in descendants(self.proc.pid) if "resource_tracker" not in cmdline(p)]

    def cpu_s(self) -> float:
        return sum(cpu_seconds(p) for p in [self.proc.pid, *descendants(self.proc.pid)])

    def stop(self, timeout: float = 15) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)  # the session this Popen created
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(5)
        self._logf.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()


class TaskWorker:
    """The app's background task worker, run beside the server like a supervisor would:
    `kill9()` kills it the hard way, `start()` starts a fresh one."""

    def __init__(self, cmd: list[str], env: dict, log: Path, cwd: Path):
        self.cmd, self.env, self.cwd = cmd, env, cwd
        self._logf = open(log, "ab")
        self.proc: subprocess.Popen | None = None
        self.spent = 0.0  # CPU seconds of the processes already gone
        self.generation = 0

    def start(self) -> None:
        self.generation += 1
        cmd = [a.replace("{worker_id}", f"bench-worker-{self.generation}") for a in self.cmd]
        self.proc = subprocess.Popen(cmd, cwd=self.cwd, env=self.env, stdout=self._logf,
                                     stderr=subprocess.STDOUT, start_new_session=True)

    @property
    def worker_id(self) -> str:
        return f"bench-worker-{self.generation}"

    def cpu_s(self) -> float:
        if self.proc is None or self.proc.poll() is not None:
            return self.spent
        return self.spent + cpu_seconds(self.proc.pid)

    def rss_mb(self) -> float:
        return rss_mb(self.proc.pid) if self.proc and self.proc.poll() is None else 0.0

    def kill9(self) -> int:
        pid = self.proc.pid
        self.spent += cpu_seconds(pid)
        os.kill(pid, signal.SIGKILL)
        self.proc.wait(5)
        return pid

    def stop(self, timeout: float = 20) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.spent += cpu_seconds(self.proc.pid)
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(5)

    def close(self) -> None:
        self.stop()
        self._logf.close()


def _children() -> dict[int, list[int]]:
    kids: dict[int, list[int]] = {}
    for d in os.listdir("/proc"):
        if d.isdigit():
            try:
                stat = Path(f"/proc/{d}/stat").read_text()
            except OSError:
                continue
            ppid = int(stat.rpartition(")")[2].split()[1])
            kids.setdefault(ppid, []).append(int(d))
    return kids


def descendants(pid: int) -> list[int]:
    kids, out, todo = _children(), [], [pid]
    while todo:
        for k in kids.get(todo.pop(), []):
            out.append(k)
            todo.append(k)
    return out


def cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def cpu_seconds(pid: int) -> float:
    try:
        f = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    except OSError:
        return 0.0
    return (int(f[11]) + int(f[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


def machine_cpu() -> tuple[float, float]:
    """(busy, total) CPU seconds of the whole machine so far, from /proc/stat."""
    f = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = f[3] + f[4]  # idle + iowait
    total = sum(f[:8])  # without guest time (already in user)
    tck = os.sysconf("SC_CLK_TCK")
    return (total - idle) / tck, total / tck


class PostgresCpu:
    """CPU seconds of PostgreSQL processes, including backends that have exited since they
    were last seen (connections are recycled every DB_CONN_MAX_AGE seconds: without this
    their CPU would vanish from the sum and show up as *other* load). Read it often (the
    CPU sampler does, every second) to lose at most the last interval of a backend."""

    def __init__(self):
        self.seen: dict[int, float] = {}
        self.lock = threading.Lock()

    def __call__(self) -> float:
        with self.lock:
            for d in os.listdir("/proc"):
                if d.isdigit():
                    try:
                        if Path(f"/proc/{d}/comm").read_text().strip() in ("postgres", "postmaster"):
                            self.seen[int(d)] = cpu_seconds(int(d)) or self.seen.get(int(d), 0.0)
                    except OSError:
                        pass
            return sum(self.seen.values())


postgres_cpu = PostgresCpu()


class CpuSampler(threading.Thread):
    """Every ``interval`` s, record the machine's load not caused by the server under test,
    this process (the load generator) or PostgreSQL: other users of a shared machine."""

    def __init__(self, server: Server, interval: float = 1.0, extra_cpu=lambda: 0.0):
        super().__init__(daemon=True)
        self.server, self.interval = server, interval
        self.extra_cpu = extra_cpu  # CPU seconds of our other processes (the task worker)
        self.samples: list[tuple[float, float, float]] = []  # (start, end, other cores)
        self._halt = threading.Event()

    def _read(self):
        own = sum(os.times()[:2])
        return (time.perf_counter(), machine_cpu()[0], self.server.cpu_s() + self.extra_cpu(),
                postgres_cpu(), own)

    def run(self) -> None:
        prev = self._read()
        while not self._halt.wait(self.interval):
            cur = self._read()
            dt = cur[0] - prev[0]
            other = (cur[1] - prev[1]) - sum(cur[i] - prev[i] for i in (2, 3, 4))
            self.samples.append((prev[0], cur[0], max(0.0, other / dt)))
            prev = cur

    def stop(self) -> None:
        self._halt.set()
        self.join(5)

    def quiet_windows(self, start: float, end: float, max_other: float) -> list[tuple[float, float]]:
        return [(a, b) for a, b, o in self.samples if a >= start and b <= end and o <= max_other]
