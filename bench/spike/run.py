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
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import dj_database_url

from bench import loadgen

from .apps import REPO, AppSpec, base_env, load_app
from .servers import CpuSampler, Server, ServerConfig, machine_cpu, postgres_cpu, rss_mb

WORKDIR = Path(os.environ.get("BENCH_WORKDIR", "/tmp/clamour-bench"))
PG_URL = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/clamour_bench_cal")

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
        "postgres": Database("postgres", PG_URL),
    }


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


def measure(app: AppSpec, cfg: ServerConfig, db: Database, args) -> dict:
    WORKDIR.mkdir(parents=True, exist_ok=True)
    env = base_env(app, db.url, dict(db.env))
    reset_database(db.url)
    if app.prepare:
        app.prepare(env)
    log = WORKDIR / f"{app.name}-{cfg.label.replace(':', '_')}-{db.name}.log"
    row = {"app": app.name, "server": cfg.label, "db": db.name, "concurrency": args.concurrency}
    row["waited_quiet_s"] = wait_quiet(args.quiet_wait)
    with Server(cfg, app, env, log, REPO) as srv:
        srv.wait_ready()
        form_url = srv.url + app.form_path
        # Warm up: import lazily loaded code, open DB connections in every worker.
        loadgen.run_get(srv.url + app.trivial_path, concurrency=args.concurrency, seconds=1)
        warm = loadgen.run_spike(form_url, concurrency=args.concurrency, seconds=1,
                                 max_requests=500, spec=app.form)
        get = loadgen.run_get(srv.url + app.trivial_path, concurrency=args.concurrency,
                              seconds=args.get_seconds)
        sampler = CpuSampler(srv)
        sampler.start()
        cpu0, pg0, (busy0, _), t0 = srv.cpu_s(), postgres_cpu(), machine_cpu(), time.perf_counter()
        res = loadgen.run_spike(form_url, concurrency=args.concurrency, seconds=args.seconds,
                                max_requests=args.max_requests, spec=app.form,
                                get_each=args.get_each)
        wall = time.perf_counter() - t0
        sampler.stop()
        server_cpu = (srv.cpu_s() - cpu0) / wall  # all in cores (1.0 = one core busy)
        pg_cpu = max(0.0, (postgres_cpu() - pg0) / wall)
        machine = (machine_cpu()[0] - busy0) / wall
        rss = [rss_mb(p) for p in srv.workers()] or [rss_mb(srv.proc.pid)]
        master_rss = rss_mb(srv.proc.pid)
    # The server is stopped: what it acknowledged must now be in the database.
    ver = app.verify(db.url, warm.accepted_emails + res.accepted_emails) if app.verify else None
    s = res.summary()
    # Ignore the first 2 s (ramp-up): then keep only the seconds without outside load.
    windows = sampler.quiet_windows(res.started + 2, res.started + res.wall_s, QUIET)
    q_rate, q_lat = res.within(windows)
    per_s = res.per_second()
    row.update(
        trivial_get_per_s=round(get.rate, 1),
        trivial_get_p99_ms=round(get.pct(99), 1),
        trivial_gen_cpu=round(get.cpu_share, 3),
        accepted=res.ok, accepted_per_s=s["ok_per_s"], p50_ms=s["p50_ms"], p95_ms=s["p95_ms"],
        p99_ms=s["p99_ms"], max_ms=s["max_ms"], errors=s["errors"], seconds=s["wall_s"],
        gen_cpu=s["gen_cpu_share"], server_cpu=round(server_cpu, 2), pg_cpu=round(pg_cpu, 2),
        machine_cpu=round(machine, 2),
        other_cpu=round(max(0.0, machine - server_cpu - pg_cpu - res.cpu_share), 2),
        min_1s=min(per_s[1:], default=0), quiet_s=round(sum(b - a for a, b in windows)),
        quiet_acc_per_s=round(q_rate, 1) if q_lat else None,
        quiet_p99_ms=round(res.pct(99, q_lat), 1) if q_lat else None,
        workers=len(rss), rss_worker_mb=round(statistics.mean(rss), 1),
        rss_worker_max_mb=round(max(rss), 1), rss_master_mb=round(master_rss, 1),
        verified=None if ver is None else ver.ok,
        missing=None if ver is None else len(ver.missing),
        tasks=None if ver is None else ver.tasks,
        rows=None if ver is None else ver.submissions,
    )
    row["meets_bar"] = bool(row["accepted_per_s"] >= BAR_RATE and row["p99_ms"] <= BAR_P99_MS
                           and not row["errors"] and row["verified"] is not False)
    if not args.keep_db:
        drop_database(db.url)
    return row


COLUMNS = [
    ("server", "server", "{}"), ("db", "db", "{}"), ("GET/s", "trivial_get_per_s", "{:.0f}"),
    ("acc/s", "accepted_per_s", "{:.0f}"), ("min 1s", "min_1s", "{}"), ("p50", "p50_ms", "{:.0f}"), ("p95", "p95_ms", "{:.0f}"),
    ("p99", "p99_ms", "{:.0f}"), ("max", "max_ms", "{:.0f}"), ("err", "errors", "{}"),
    ("missing", "missing", "{}"), ("RSS/wkr MB", "rss_worker_mb", "{:.0f}"),
    ("srv CPU", "server_cpu", "{:.2f}"), ("gen CPU", "gen_cpu", "{:.2f}"), ("pg CPU", "pg_cpu", "{:.2f}"),
    ("other CPU", "other_cpu", "{:.2f}"), ("quiet s", "quiet_s", "{}"),
    ("quiet acc/s", "quiet_acc_per_s", "{:.0f}"), ("quiet p99", "quiet_p99_ms", "{:.0f}"),
    ("bar", "meets_bar", "{}"),
]


def table(rows: list[dict]) -> str:
    def cell(r, key, fmt):
        v = r.get(key)
        if key == "errors":
            return ",".join(f"{k}={n}" for k, n in sorted(v.items())) or "-"
        return "-" if v is None else fmt.format(v)

    lines = ["| " + " | ".join(c[0] for c in COLUMNS) + " |", "|" + "---|" * len(COLUMNS)]
    lines += ["| " + " | ".join(cell(r, k, f) for _, k, f in COLUMNS) + " |" for r in rows]
    return "\n".join(lines)


def ratios(rows: list[dict], baseline: list[dict]) -> str:
    base = {(r["server"], r["db"]): r for r in baseline}
    out = ["| server | db | acc/s ratio | p99 ratio | GET/s ratio | RSS ratio |", "|---|---|---|---|---|---|"]
    for r in rows:
        b = base.get((r["server"], r["db"]))
        if b:
            q = lambda k: f"{r[k] / b[k]:.2f}" if b[k] else "-"  # noqa: E731
            out.append(f"| {r['server']} | {r['db']} | {q('accepted_per_s')} | {q('p99_ms')} | "
                       f"{q('trivial_get_per_s')} | {q('rss_worker_mb')} |")
    return "\n".join(out)


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--app", default="calibration", help="'calibration' or module:ATTR of an AppSpec")
    p.add_argument("--server", action="append", help="e.g. gunicorn-gthread:2x8 (repeatable)")
    p.add_argument("--db", action="append", help="sqlite | sqlite-normal | postgres (repeatable)")
    p.add_argument("--seconds", type=float, default=10, help="spike length (60 for the real figure)")
    p.add_argument("--get-seconds", type=float, default=5, help="trivial GET measurement length")
    p.add_argument("-c", "--concurrency", type=int, default=64)
    p.add_argument("--max-requests", type=int, default=200_000)
    p.add_argument("--get-each", action="store_true", help="GET the form before every POST")
    p.add_argument("--repeat", type=int, default=1, help="measure each configuration N times")
    p.add_argument("--quiet-wait", type=float, default=30,
                   help="wait up to this long for other load on the machine to stop first")
    p.add_argument("--keep-db", action="store_true", help="do not drop the Postgres database")
    p.add_argument("--json-out", help="append result rows (JSON lines) to this file")
    p.add_argument("--compare", help="JSON lines of a baseline (calibration) run: print ratios")
    args = p.parse_args(argv)
    app = load_app(args.app)
    dbs = databases(app)
    servers = [ServerConfig.parse(s) for s in args.server or ["gunicorn-gthread:2x8"]]
    rows = []
    for cfg in servers:
        for name in [n for n in args.db or ["sqlite", "postgres"] for _ in range(args.repeat)]:
            print(f"--- {app.name} {cfg.label} {name} ...", file=sys.stderr, flush=True)
            try:
                row = measure(app, cfg, dbs[name], args)
            except Exception as e:  # keep going with the other configurations
                print(f"    failed: {e!r}", file=sys.stderr)
                continue
            print("   ", json.dumps(row), file=sys.stderr, flush=True)
            rows.append(row)
            if args.json_out:
                with open(args.json_out, "a") as f:
                    f.write(json.dumps(row) + "\n")
    print(f"\n{app.name}: {args.concurrency} clients, {args.seconds:g} s spike, "
          f"bar {BAR_RATE:g}/s with p99 <= {BAR_P99_MS:g} ms, CPUs: {os.cpu_count()}")
    print(table(rows))
    print("CPU columns are cores (1.00 = one core); 'other' is the rest of the machine's load "
          "during the spike (other users of this machine): rows with other > 0.25 are disturbed.\n"
          f"'quiet' columns: only the seconds of the spike (after 2 s) with other load <= {QUIET} "
          "cores; 'min 1s': the worst whole second after the first.")
    if args.compare:
        with open(args.compare) as f:
            print("\nRatios to baseline:\n" + ratios(rows, [json.loads(line) for line in f if line.strip()]))
    return 0 if rows and all(r["verified"] is not False for r in rows) else 1
