"""Spike driver: for each server configuration and database, start the app, measure
trivial GET req/s and a spike of unique letter submissions, verify every acknowledged
submission is in the database, and print a table.

    .venv/bin/python -m bench.spike                       # calibration, 10 s, defaults
    .venv/bin/python -m bench.spike --seconds 60 --server gunicorn-gthread:2x8 --db sqlite --db postgres
    .venv/bin/python -m bench.spike --app mymod:SPEC --compare var/bench-cal.json
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import dj_database_url

from bench import loadgen

from .apps import REPO, AppSpec, base_env, load_app, query
from .countlag import LagSampler
from .servers import CpuSampler, Server, ServerConfig, TaskWorker, machine_cpu, postgres_cpu, rss_mb

WORKDIR = Path(os.environ.get("BENCH_WORKDIR", "/tmp/clamour-bench"))
# Each app gets a database of its own (clamour_bench_<app>) unless BENCH_PG_URL names one.
PG_URL = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/clamour_bench_{app}")

BAR_RATE, BAR_P99_MS = 400.0, 300.0
QUIET = 0.25  # cores of other load above which a second of the spike counts as disturbed


@dataclass(frozen=True)
class Database:
    name: str
    url: str
    env: tuple[tuple[str, str], ...] = ()


def databases(app: AppSpec) -> dict[str, Database]:
    sqlite_url = f"sqlite:///{WORKDIR}/{app.name}.sqlite3"
    return {
        # WAL + synchronous=FULL: every commit is fsynced; survives power loss.
        "sqlite": Database("sqlite", sqlite_url, (("SQLITE_SYNCHRONOUS", "FULL"),)),
        # WAL + synchronous=NORMAL: survives a process crash, not a power loss. Information only.
        "sqlite-normal": Database("sqlite-normal", sqlite_url, (("SQLITE_SYNCHRONOUS", "NORMAL"),)),
        "postgres": Database("postgres", PG_URL.replace("{app}", app.name)),
    }


def code_version() -> str:
    """The commit the app ran from, with '+' when its code had uncommitted changes
    (BENCH_CODE_VERSION when the code is an export without git)."""
    if os.environ.get("BENCH_CODE_VERSION"):
        return os.environ["BENCH_CODE_VERSION"]

    def git(*a):
        return subprocess.run(["git", *a], cwd=REPO, capture_output=True, text=True).stdout.strip()

    return git("rev-parse", "--short", "HEAD") + ("+" if git("status", "--porcelain", "--", "clamour") else "")


def database_identity(url: str):
    """What tells this database from one created later under the same name: the SQLite
    file's inode, the PostgreSQL database's oid. Another benchmark run that reset the
    database mid-run would change it (and the server would go on writing to the old one)."""
    cfg = dj_database_url.parse(url)
    if cfg["ENGINE"].endswith("sqlite3"):
        try:
            return os.stat(cfg["NAME"]).st_ino
        except OSError:
            return None
    rows = query(url, f"SELECT oid FROM pg_database WHERE datname = '{cfg['NAME']}'")
    return rows[0][0] if rows else None


class RunLock:
    """One benchmark at a time per work directory: runs sharing a machine disturb each
    other's figures, and runs sharing a work directory reset each other's databases."""

    def __enter__(self):
        import fcntl

        WORKDIR.mkdir(parents=True, exist_ok=True)
        self.f = open(WORKDIR / "driver.lock", "a+")
        try:
            fcntl.flock(self.f, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            self.f.seek(0)
            print(f"waiting for another benchmark run to finish ({self.f.read().strip()}) ...",
                  file=sys.stderr, flush=True)
            fcntl.flock(self.f, fcntl.LOCK_EX)
        self.f.seek(0)
        self.f.truncate()
        self.f.write(f"pid {os.getpid()} since {time.strftime('%H:%M:%S')}")
        self.f.flush()
        return self

    def __exit__(self, *exc):
        self.f.close()


def reset_database(url: str) -> None:
    cfg = dj_database_url.parse(url)
    if cfg["ENGINE"].endswith("sqlite3"):
        for suffix in ("", "-wal", "-shm"):
            Path(cfg["NAME"] + suffix).unlink(missing_ok=True)
        return
    _pg_admin(cfg, f'DROP DATABASE IF EXISTS "{cfg["NAME"]}" WITH (FORCE)', f'CREATE DATABASE "{cfg["NAME"]}"')


def drop_database(url: str) -> None:
    cfg = dj_database_url.parse(url)
    if not cfg["ENGINE"].endswith("sqlite3"):
        _pg_admin(cfg, f'DROP DATABASE IF EXISTS "{cfg["NAME"]}" WITH (FORCE)')


def _pg_admin(cfg: dict, *statements: str) -> None:
    import psycopg

    if not cfg["NAME"].startswith("clamour_bench"):
        raise SystemExit(f"refusing to drop/create {cfg['NAME']!r}: not a clamour_bench* database")
    with psycopg.connect(dbname="postgres", user=cfg["USER"], password=cfg["PASSWORD"] or None,
                         host=cfg["HOST"] or None, port=cfg["PORT"] or None, autocommit=True) as con:
        for s in statements:
            con.execute(s)


def wait_quiet(max_wait: float, busy_cores: float = 0.25) -> float:
    """The machine is shared: wait (at most max_wait s) for a second with < busy_cores in use.
    Returns the seconds waited."""
    t0 = time.monotonic()
    while time.monotonic() - t0 < max_wait:
        b0, _ = machine_cpu()
        time.sleep(1)
        if machine_cpu()[0] - b0 < busy_cores:
            break
    return round(time.monotonic() - t0, 1)


def run_dir_for(app: AppSpec, cfg: ServerConfig, db: Database) -> Path:
    d = WORKDIR / f"{app.name}-{cfg.label.replace(':', '_')}-{db.name}"
    shutil.rmtree(d, ignore_errors=True)  # the last run's mail and logs
    d.mkdir(parents=True)
    return d


def fresh_run(app: AppSpec, cfg: ServerConfig, db: Database) -> tuple[Path, dict]:
    """An empty run directory and the app's environment for it, with the database reset
    and prepared (migrated, seeded) for the app."""
    run_dir = run_dir_for(app, cfg, db)
    extra = dict(db.env)
    if app.per_run_env:
        extra.update(app.per_run_env(str(run_dir)))
    env = base_env(app, db.url, extra)
    reset_database(db.url)
    if app.prepare:
        app.prepare(env)
    return run_dir, env


def measure(app: AppSpec, cfg: ServerConfig, db: Database, args, kill: bool = False) -> dict:
    WORKDIR.mkdir(parents=True, exist_ok=True)
    run_dir, env = fresh_run(app, cfg, db)
    identity = database_identity(db.url)
    row = {"app": app.name, "server": cfg.label, "db": db.name, "concurrency": args.concurrency,
           "seconds_asked": args.seconds, "kill": kill, "at": time.strftime("%Y-%m-%d %H:%M:%S"),
           "code": code_version()}
    worker = (TaskWorker(app.worker_cmd, env, run_dir / "worker.log", REPO)
              if app.worker_cmd and args.worker else None)
    try:
        if worker:
            worker.start()
        with Server(cfg, app, env, run_dir / "server.log", REPO) as srv:
            srv.wait_ready()
            row["waited_quiet_s"] = wait_quiet(args.quiet_wait)
            acked = _measure_running(app, srv, worker, db, args, kill, row)
        if database_identity(db.url) != identity:
            raise RuntimeError(f"{db.url} was replaced during the run (another benchmark run "
                               f"reset it?): figures void")
        # The server is stopped: what it acknowledged must now be in the database.
        ver = app.verify(db.url, acked) if app.verify else None
        row.update(
            verified=None if ver is None else ver.ok,
            missing=None if ver is None else len(ver.missing),
            tasks=None if ver is None else ver.tasks,
            rows=None if ver is None else ver.submissions,
            acknowledged=len(acked),
        )
        if ver is not None and ver.missing:
            row["missing_sample"] = ver.missing[:5]
        if kill and worker and app.undelivered:
            _kill_aftermath(app, worker, env, db, acked, args, row)
    finally:
        if worker:
            worker.close()
    row["meets_bar"] = bool(row["accepted_per_s"] >= BAR_RATE and row["p99_ms"] <= BAR_P99_MS
                           and not row["errors"] and row["verified"] is not False)
    if not args.keep_db:
        drop_database(db.url)
        shutil.rmtree(run_dir / "mail", ignore_errors=True)
    return row


def _get(url: str, args, seconds: float) -> loadgen.Result:
    return loadgen.run_get(url, concurrency=args.concurrency, seconds=seconds)


def _measure_running(app, srv, worker, db, args, kill, row) -> list[str]:
    """Warm up, measure the GET yardsticks, then the spike (with readers, the count-lag
    sampler and, in kill mode, the kills). Fills `row`; returns the acknowledged emails."""
    form_url = srv.url + app.form_path
    # Warm up: import lazily loaded code, open DB connections in every worker.
    for path in filter(None, (app.trivial_path, app.page_path, app.count_path)):
        loadgen.run_get(srv.url + path, concurrency=args.concurrency, seconds=1)
    warm = loadgen.run_spike(form_url, concurrency=args.concurrency, seconds=1,
                             max_requests=500, spec=app.form)
    get = _get(srv.url + app.trivial_path, args, args.get_seconds)
    row.update(trivial_get_per_s=round(get.rate, 1), trivial_get_p99_ms=round(get.pct(99), 1),
               trivial_gen_cpu=round(get.cpu_share, 3), trivial_errors=dict(get.errors))
    if not kill:
        for key, path in (("page", app.page_path), ("count", app.count_path)):
            if path:
                r = _get(srv.url + path, args, args.get_seconds)
                row[f"{key}_get_per_s"] = round(r.rate, 1)
                row[f"{key}_get_p99_ms"] = round(r.pct(99), 1)
                row[f"{key}_ratio"] = round(r.rate / get.rate, 3) if get.rate else None
                row[f"{key}_errors"] = dict(r.errors)
                row[f"{key}_gen_cpu"] = round(r.cpu_share, 3)
    extra_cpu = worker.cpu_s if worker else (lambda: 0.0)
    sampler = CpuSampler(srv, extra_cpu=extra_cpu)
    lag = None
    if app.count_path and app.count_sql:
        lag = LagSampler(srv.url + app.count_path, db.url, app.count_sql, args.lag_interval)
        lag.start()
    readers = []
    if not kill and args.readers:
        readers = [(srv.url + p, args.readers, args.reader_rate)
                   for p in (app.page_path, app.count_path) if p]
    killer = Killer(srv, worker, args.seconds, row) if kill else None
    sampler.start()
    cpu0, wcpu0, pg0, (busy0, _), t0 = (srv.cpu_s(), extra_cpu(), postgres_cpu(), machine_cpu(),
                                        time.perf_counter())
    if killer:
        killer.start()
    res, side = loadgen.run_spike_with_readers(
        form_url, readers, concurrency=args.concurrency, seconds=args.seconds,
        max_requests=args.max_requests, spec=app.form)
    wall = time.perf_counter() - t0
    sampler.stop()
    if killer:
        killer.join(30)
    server_cpu = (srv.cpu_s() - cpu0) / wall  # all in cores (1.0 = one core busy)
    worker_cpu = (extra_cpu() - wcpu0) / wall
    pg_cpu = max(0.0, (postgres_cpu() - pg0) / wall)
    machine = (machine_cpu()[0] - busy0) / wall
    if lag:
        final = query(db.url, app.count_sql)[0][0]
        settled = lag.wait_settled(final, res.started + res.wall_s, args.settle_timeout)
        lag.stop()
        lags = sorted(lag.lags(res.started + 2, res.started + res.wall_s))
        row.update(
            count_lag_max_s=round(max(lags), 2) if lags else None,
            count_lag_p95_s=round(_pct(lags, 95), 2) if lags else None,
            count_lag_samples=len(lags), count_settle_s=settled, count_final=final,
            count_sample_errors=lag.errors,
        )
    rss = [rss_mb(p) for p in srv.workers()] or [rss_mb(srv.proc.pid)]
    if worker:
        row["rss_task_worker_mb"] = round(worker.rss_mb(), 1)
        if app.task_states:
            row["tasks_after_spike"] = app.task_states(db.url)
    s = res.summary()
    # Ignore the first 2 s (ramp-up): then keep only the seconds without outside load.
    windows = sampler.quiet_windows(res.started + 2, res.started + res.wall_s, QUIET)
    q_rate, q_lat = res.within(windows)
    per_s = res.per_second()
    row.update(
        accepted=res.ok, accepted_per_s=s["ok_per_s"], p50_ms=s["p50_ms"], p95_ms=s["p95_ms"],
        p99_ms=s["p99_ms"], max_ms=s["max_ms"], errors=s["errors"], seconds=s["wall_s"],
        gen_cpu=s["gen_cpu_share"], server_cpu=round(server_cpu, 2),
        worker_cpu=round(worker_cpu, 2) if worker else None, pg_cpu=round(pg_cpu, 2),
        machine_cpu=round(machine, 2),
        other_cpu=round(max(0.0, machine - server_cpu - worker_cpu - pg_cpu - res.cpu_share), 2),
        min_1s=min(per_s[1:], default=0), quiet_s=round(sum(b - a for a, b in windows)),
        quiet_acc_per_s=round(q_rate, 1) if q_lat else None,
        quiet_p99_ms=round(res.pct(99, q_lat), 1) if q_lat else None,
        workers=len(rss), rss_worker_mb=round(statistics.mean(rss), 1),
        rss_worker_max_mb=round(max(rss), 1), rss_master_mb=round(rss_mb(srv.proc.pid), 1),
        warmup_accepted=warm.ok,
    )
    for (url, _, _), r in zip(readers, side):
        key = "during_page" if url.endswith(app.page_path) else "during_count"
        row.update({f"{key}_per_s": round(r.rate, 1), f"{key}_p99_ms": round(r.pct(99), 1),
                    f"{key}_errors": dict(r.errors)})
    if readers:
        row["readers"] = f"{args.readers}x{args.reader_rate:g}/s"
    return warm.accepted_emails + res.accepted_emails


def _pct(sorted_values: list[float], p: float) -> float:
    return sorted_values[min(len(sorted_values) - 1, max(0, int(round(p / 100 * len(sorted_values))) - 1))]


class Killer(threading.Thread):
    """Kill mode: a third of the way into the spike, kill -9 one web worker (the server
    starts a new one); half way, kill -9 the task worker and start a new one a second
    later, as a supervisor (systemd Restart=always) would."""

    def __init__(self, srv: Server, worker: TaskWorker | None, seconds: float, row: dict):
        super().__init__(daemon=True)
        self.srv, self.worker, self.seconds, self.row = srv, worker, seconds, row

    def run(self) -> None:
        t0 = time.monotonic()
        time.sleep(self.seconds / 3)
        before = self.srv.workers()
        if before:
            os.kill(before[0], signal.SIGKILL)
            self.row["killed_web_worker"] = before[0]
        if self.worker:
            time.sleep(max(0.0, self.seconds / 2 - (time.monotonic() - t0)))
            self.row["killed_task_worker"] = self.worker.kill9()
            self.row["killed_task_worker_id"] = self.worker.worker_id
            time.sleep(1)
            self.worker.start()
        time.sleep(max(0.0, self.seconds - 1 - (time.monotonic() - t0)))
        after = self.srv.workers()
        self.row["web_workers_after_kill"] = len(after)
        self.row["web_worker_respawned"] = bool(before) and before[0] not in after and len(after) >= len(before)


def _wait_drained(app, db, timeout: float) -> tuple[float | None, dict]:
    """Wait (at most `timeout` s) until no task is ready to run; (seconds, task states)."""
    t0 = time.monotonic()
    while True:
        states = app.task_states(db.url)
        if not states.get("READY"):
            return round(time.monotonic() - t0, 1), states
        if time.monotonic() - t0 > timeout:
            return None, states
        time.sleep(1)


def _kill_aftermath(app, worker, env, db, acked, args, row) -> None:
    """After a kill-mode spike: let the (restarted) task worker drain the queue, then
    count acknowledged submissions whose letter is not marked sent. Tasks the killed
    worker was running stay RUNNING until requeue_abandoned() puts them back (the worker
    does that for tasks older than 10 minutes); to show they are not lost, stop the
    worker, requeue them at once, and drain again."""
    drained, states = _wait_drained(app, db, args.drain_timeout)
    missing = app.undelivered(db.url, acked)
    row.update(drain_s=drained, tasks_after_drain=states, undelivered_after_drain=len(missing))
    if not missing:
        return
    worker.stop()
    out = subprocess.run(
        [sys.executable, "-m", "django", "shell", "-v", "0", "-c",
         "from datetime import timedelta; from clamour.core.tasks import requeue_abandoned; "
         "print(requeue_abandoned(older_than=timedelta(0)))"],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=120)
    lines = out.stdout.strip().splitlines()
    row["requeued"] = int(lines[-1]) if out.returncode == 0 and lines else out.stderr[-300:]
    worker.start()
    drained2, states2 = _wait_drained(app, db, args.drain_timeout)
    time.sleep(2)  # the last claimed task finishes
    missing2 = app.undelivered(db.url, acked)
    row.update(drain_after_requeue_s=drained2, tasks_after_requeue=states2,
               undelivered_after_requeue=len(missing2), undelivered_sample=missing2[:5])


COLUMNS = [
    ("app", "app", "{}"), ("server", "server", "{}"), ("db", "db", "{}"),
    ("GET/s", "trivial_get_per_s", "{:.0f}"),
    ("acc/s", "accepted_per_s", "{:.0f}"), ("min 1s", "min_1s", "{}"), ("p50", "p50_ms", "{:.0f}"), ("p95", "p95_ms", "{:.0f}"),
    ("p99", "p99_ms", "{:.0f}"), ("max", "max_ms", "{:.0f}"), ("err", "errors", "{}"),
    ("missing", "missing", "{}"), ("RSS/wkr MB", "rss_worker_mb", "{:.0f}"),
    ("srv CPU", "server_cpu", "{:.2f}"), ("wkr CPU", "worker_cpu", "{:.2f}"), ("gen CPU", "gen_cpu", "{:.2f}"),
    ("pg CPU", "pg_cpu", "{:.2f}"),
    ("other CPU", "other_cpu", "{:.2f}"), ("quiet s", "quiet_s", "{}"),
    ("quiet acc/s", "quiet_acc_per_s", "{:.0f}"), ("quiet p99", "quiet_p99_ms", "{:.0f}"),
    ("bar", "meets_bar", "{}"),
]
READ_COLUMNS = [
    ("server", "server", "{}"), ("db", "db", "{}"), ("GET/s", "trivial_get_per_s", "{:.0f}"),
    ("page/s", "page_get_per_s", "{:.0f}"), ("page p99", "page_get_p99_ms", "{:.0f}"),
    ("count/s", "count_get_per_s", "{:.0f}"), ("count p99", "count_get_p99_ms", "{:.0f}"),
    ("page÷GET", "page_ratio", "{:.2f}"), ("count÷GET", "count_ratio", "{:.2f}"),
    ("spike: page/s", "during_page_per_s", "{:.0f}"), ("page p99", "during_page_p99_ms", "{:.0f}"),
    ("count/s", "during_count_per_s", "{:.0f}"), ("count p99", "during_count_p99_ms", "{:.0f}"),
    ("lag p95 s", "count_lag_p95_s", "{:.2f}"), ("lag max s", "count_lag_max_s", "{:.2f}"),
    ("settle s", "count_settle_s", "{}"), ("tasks (deliver)", "tasks", "{}"), ("rows", "rows", "{}"),
    ("cal acc/s", "cal_accepted_per_s", "{:.0f}"), ("÷cal", "cal_ratio", "{:.2f}"),
]
KILL_COLUMNS = [
    ("server", "server", "{}"), ("db", "db", "{}"), ("acc/s", "accepted_per_s", "{:.0f}"),
    ("err", "errors", "{}"), ("acked", "acknowledged", "{}"), ("missing", "missing", "{}"),
    ("web wkr respawned", "web_worker_respawned", "{}"), ("drain s", "drain_s", "{}"),
    ("undelivered", "undelivered_after_drain", "{}"), ("requeued", "requeued", "{}"),
    ("undelivered after requeue", "undelivered_after_requeue", "{}"),
]


def table(rows: list[dict], columns=COLUMNS) -> str:
    def cell(r, key, fmt):
        v = r.get(key)
        if isinstance(v, dict):
            return ",".join(f"{k}={n}" for k, n in sorted(v.items())) or "-"
        return "-" if v is None else fmt.format(v)

    lines = ["| " + " | ".join(c[0] for c in columns) + " |", "|" + "---|" * len(columns)]
    lines += ["| " + " | ".join(cell(r, k, f) for _, k, f in columns) + " |" for r in rows]
    return "\n".join(lines)


def ratios(rows: list[dict], baseline: list[dict]) -> str:
    base = {(r["server"], r["db"]): r for r in baseline}
    out = ["| server | db | acc/s ratio | p99 ratio | GET/s ratio | RSS ratio |", "|---|---|---|---|---|---|"]
    for r in rows:
        b = base.get((r["server"], r["db"]))
        if b:
            q = lambda k, r=r, b=b: f"{r[k] / b[k]:.2f}" if b[k] else "-"  # noqa: E731
            out.append(f"| {r['server']} | {r['db']} | {q('accepted_per_s')} | {q('p99_ms')} | "
                       f"{q('trivial_get_per_s')} | {q('rss_worker_mb')} |")
    return "\n".join(out)


# (measure, bar, how to get the figure from a database's rows, passes(figure))
def _med(rows, key):
    vals = [r[key] for r in rows if r.get(key) is not None]
    return statistics.median(vals) if vals else None


def _worst(rows, key):
    vals = [r[key] for r in rows if r.get(key) is not None]
    return max(vals) if vals else None


ISSUE_ROWS = [
    ("accepted letter submissions/s, sustained {seconds:g} s", "≥ 400",
     lambda rs, ks: _med(rs, "accepted_per_s"), lambda v: v >= 400, "{:.0f}"),
    ("submissions/s ÷ calibration app's, same server, db, run", "≥ 0.6",
     lambda rs, ks: _med(rs, "cal_ratio"), lambda v: v >= 0.6, "{:.2f}"),
    ("p99 of an accepted submission, {concurrency} clients (ms)", "≤ 300",
     lambda rs, ks: _med(rs, "p99_ms"), lambda v: v <= 300, "{:.0f}"),
    ("campaign page req/s ÷ trivial GET req/s", "≥ 0.8",
     lambda rs, ks: _med(rs, "page_ratio"), lambda v: v >= 0.8, "{:.2f}"),
    ("count.json req/s ÷ trivial GET req/s", "≥ 0.8",
     lambda rs, ks: _med(rs, "count_ratio"), lambda v: v >= 0.8, "{:.2f}"),
    ("p99 of the campaign page during the spike (ms)", "≤ 300",
     lambda rs, ks: _med(rs, "during_page_p99_ms"), lambda v: v <= 300, "{:.0f}"),
    ("acknowledged submissions missing afterwards", "0",
     lambda rs, ks: _worst(rs, "missing"), lambda v: v == 0, "{}"),
    ("… missing after kill -9 of a web worker and the task worker", "0",
     lambda rs, ks: _worst(ks, "missing"), lambda v: v == 0, "{}"),
    ("public count lag behind confirmed rows, max (s)", "≤ 2",
     lambda rs, ks: _med(rs, "count_lag_max_s"), lambda v: v <= 2, "{:.2f}"),
    ("resident memory per web worker (MB, largest)", "≤ 150",
     lambda rs, ks: _worst(rs + ks, "rss_worker_max_mb"), lambda v: v <= 150, "{:.0f}"),
]


def issue_table(rows: list[dict], seconds: float, concurrency: int) -> str:
    """The issue's table: measure | bar | SQLite | PostgreSQL (medians over repeats)."""
    app_rows = [r for r in rows if r["app"] != "calibration"]
    dbs = ["sqlite", "postgres"]
    out = ["| measure | bar | SQLite | PostgreSQL |", "|---|---|---|---|"]
    for label, bar, get, ok, fmt in ISSUE_ROWS:
        cells = []
        for db in dbs:
            rs = [r for r in app_rows if r["db"] == db and not r.get("kill")]
            ks = [r for r in app_rows if r["db"] == db and r.get("kill")]
            v = get(rs, ks)
            n = len(ks) if "kill" in label else len(rs)
            cells.append("-" if v is None else
                         f"{fmt.format(v)} {'pass' if ok(v) else 'FAIL'}" + (f" (n={n})" if n > 1 else ""))
        out.append(f"| {label.format(seconds=seconds, concurrency=concurrency)} | {bar} | "
                   + " | ".join(cells) + " |")
    return "\n".join(out)


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--app", default="calibration",
                   help="'calibration', 'clamour' or module:ATTR of an AppSpec")
    p.add_argument("--server", action="append", help="e.g. granian:2x4 (repeatable)")
    p.add_argument("--db", action="append", help="sqlite | sqlite-normal | postgres (repeatable)")
    p.add_argument("--seconds", type=float, default=10, help="spike length (60 for the real figure)")
    p.add_argument("--get-seconds", type=float, default=5, help="each GET measurement's length")
    p.add_argument("-c", "--concurrency", type=int, default=64)
    p.add_argument("--max-requests", type=int, default=200_000)
    p.add_argument("--repeat", type=int, default=1, help="measure each configuration N times")
    p.add_argument("--quiet-wait", type=float, default=30,
                   help="wait up to this long for other load on the machine to stop first")
    p.add_argument("--no-calibration", dest="calibrate", action="store_false",
                   help="do not measure the calibration app before each run of another app")
    p.add_argument("--readers", type=int, default=4,
                   help="during the spike: clients reading the page, and as many count.json")
    p.add_argument("--reader-rate", type=float, default=10,
                   help="requests a second per reader client (0: as fast as they can)")
    p.add_argument("--lag-interval", type=float, default=0.25, help="count-lag sampling period")
    p.add_argument("--settle-timeout", type=float, default=15)
    p.add_argument("--kill", action="store_true",
                   help="kill -9 a web worker and the task worker mid-spike, then verify")
    p.add_argument("--drain-timeout", type=float, default=240,
                   help="kill mode: how long to wait for the task worker to drain the queue")
    p.add_argument("--no-worker", dest="worker", action="store_false",
                   help="diagnosis: do not run the app's task worker beside the server")
    p.add_argument("--keep-db", action="store_true", help="keep the databases and mail files")
    p.add_argument("--json-out", help="append result rows (JSON lines) to this file")
    p.add_argument("--compare", help="JSON lines of a baseline (calibration) run: print ratios")
    args = p.parse_args(argv)
    app = load_app(args.app)
    cal = load_app("calibration") if args.calibrate and not args.kill and app.name != "calibration" else None
    servers = [ServerConfig.parse(s) for s in args.server or ["granian:2x2"]]
    rows: list[dict] = []

    def run(spec, cfg, name, **kw):
        print(f"--- {spec.name} {cfg.label} {name}{' kill' if kw.get('kill') else ''} "
              f"{time.strftime('%H:%M:%S')} ...",
              file=sys.stderr, flush=True)
        try:
            row = measure(spec, cfg, databases(spec)[name], args, **kw)
        except Exception as e:  # keep going with the other configurations
            print(f"    failed: {e!r}", file=sys.stderr)
            return None
        print("   ", json.dumps(row), file=sys.stderr, flush=True)
        rows.append(row)
        if args.json_out:
            with open(args.json_out, "a") as f:
                f.write(json.dumps(row) + "\n")
        return row

    for shape in servers:
        for name in [n for n in args.db or ["sqlite", "postgres"] for _ in range(args.repeat)]:
            cfg = shape.for_db(name)
            with RunLock():
                base = run(cal, cfg, name) if cal else None
                row = run(app, cfg, name, kill=args.kill)
            if row and base and base["accepted_per_s"]:
                row["cal_accepted_per_s"] = base["accepted_per_s"]
                row["cal_ratio"] = round(row["accepted_per_s"] / base["accepted_per_s"], 3)
                if args.json_out:  # the ratio belongs with the row
                    with open(args.json_out, "a") as f:
                        f.write(json.dumps({"ratio_of": row["at"], "app": app.name, "server": cfg.label,
                                            "db": name, "cal_ratio": row["cal_ratio"],
                                            "cal_accepted_per_s": base["accepted_per_s"]}) + "\n")
    print(f"\n{app.name}: {args.concurrency} clients, {args.seconds:g} s spike, "
          f"bar {BAR_RATE:g}/s with p99 <= {BAR_P99_MS:g} ms, CPUs: {os.cpu_count()}")
    print(table(rows))
    print("CPU columns are cores (1.00 = one core); 'wkr' is the task worker; 'other' is the rest of "
          "the machine's load during the spike (other users of this machine): rows with other > 0.25 "
          f"are disturbed.\n'quiet' columns: only the seconds of the spike (after 2 s) with other load "
          f"<= {QUIET} cores; 'min 1s': the worst whole second after the first.")
    app_rows = [r for r in rows if r["app"] == app.name]
    if app.page_path and not args.kill:
        print(f"\nReads ({args.get_seconds:g} s each, {args.concurrency} clients; during the spike "
              f"{args.readers} page + {args.readers} count.json clients at {args.reader_rate:g}/s each), "
              "count lag, rows:")
        print(table(app_rows, READ_COLUMNS))
    if args.kill:
        print("\nKill mode:")
        print(table(app_rows, KILL_COLUMNS))
    if app.name != "calibration":
        print("\nThe issue's table (medians over runs):")
        print(issue_table(rows, args.seconds, args.concurrency))
    if args.compare:
        with open(args.compare) as f:
            base_rows = [json.loads(line) for line in f if line.strip()]
        print("\nRatios to baseline:\n" + ratios(app_rows, [r for r in base_rows if "accepted_per_s" in r]))
    ok = rows and all(r.get("verified") is not False and not r.get("missing") for r in rows)
    return 0 if ok else 1
