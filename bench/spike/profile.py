"""Where the time goes: run the spike against one app with py-spy recording every web
worker (and the task worker), then print the functions that take the most samples.

    .venv/bin/python -m bench.spike.profile --app clamour --server granian:2x4 --db sqlite

py-spy (`pip install py-spy` into the venv) samples the worker processes from outside,
100 times a second, with the GIL holder and waiting threads told apart (`--idle` keeps
the waiting ones: a thread asleep on a lock is where a request's time goes too).
Collapsed stacks are written to BENCH_WORKDIR/profile-*.txt (flame-graph input).
"""

from __future__ import annotations

import argparse
import collections
import shutil
import subprocess
import sys
import time
from pathlib import Path

from bench import loadgen

from .apps import REPO, load_app
from .run import WORKDIR, RunLock, databases, fresh_run
from .servers import Server, ServerConfig, TaskWorker


def py_spy() -> str:
    exe = shutil.which("py-spy") or str(Path(sys.executable).with_name("py-spy"))
    if not Path(exe).exists():
        raise SystemExit("py-spy is not installed: .venv/bin/pip install py-spy")
    return exe


def summarise(path: Path, top: int, focus: tuple[str, ...]) -> str:
    """Inclusive and self sample shares of functions in collapsed stacks."""
    incl, own, total = collections.Counter(), collections.Counter(), 0
    for line in path.read_text().splitlines():
        stack, _, n = line.rpartition(" ")
        if not stack:
            continue
        n = int(n)
        frames = stack.split(";")
        total += n
        seen = set()
        for f in frames:
            name = f.split(" (")[0] + " (" + f.split(" (")[1].split(":")[0].rsplit("/", 1)[-1] + ")" \
                if " (" in f else f
            if name not in seen:
                incl[name] += n
                seen.add(name)
        last = frames[-1]
        own[last.split(" (")[0] + (" (" + last.split(" (")[1].split(":")[0].rsplit("/", 1)[-1] + ")"
                                   if " (" in last else "")] += n
    out = [f"{path.name}: {total} samples"]
    out.append("  inclusive:")
    for name, n in incl.most_common(top * 3):
        if not focus or any(k in name for k in focus):
            out.append(f"    {100 * n / total:5.1f}%  {name}")
    out.append("  self:")
    for name, n in own.most_common(top):
        out.append(f"    {100 * n / total:5.1f}%  {name}")
    return "\n".join(out)


def main(argv=None) -> int:
    with RunLock():
        return _main(argv)


def _main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--app", default="clamour")
    p.add_argument("--server", default="granian:serve")
    p.add_argument("--db", default="sqlite")
    p.add_argument("--seconds", type=float, default=20)
    p.add_argument("-c", "--concurrency", type=int, default=64)
    p.add_argument("--idle", action="store_true", help="also sample threads that wait")
    p.add_argument("--gil", action="store_true",
                   help="only sample the thread holding the GIL (where the CPU goes)")
    p.add_argument("--get", metavar="PATH",
                   help="profile a GET load on PATH (e.g. the campaign page) instead of the spike")
    p.add_argument("--top", type=int, default=25)
    p.add_argument("--focus", action="append", default=[],
                   help="only list inclusive entries containing this text (repeatable)")
    args = p.parse_args(argv)
    app = load_app(args.app)
    cfg = ServerConfig.parse(args.server).for_db(args.db)
    db = databases(app)[args.db]
    run_dir, env = fresh_run(app, cfg, db)
    worker = TaskWorker(app.worker_cmd, env, run_dir / "worker.log", REPO) if app.worker_cmd else None
    spies, outputs = [], []
    try:
        if worker:
            worker.start()
        with Server(cfg, app, env, run_dir / "server.log", REPO) as srv:
            srv.wait_ready()
            form_url = srv.url + app.form_path
            loadgen.run_spike(form_url, concurrency=args.concurrency, seconds=2, spec=app.form)
            pids = srv.workers() + ([worker.proc.pid] if worker else [])
            for i, pid in enumerate(pids):
                name = "task-worker" if worker and pid == worker.proc.pid else f"web-{i}"
                what = "get" if args.get else "spike"
                out = WORKDIR / f"profile-{app.name}-{args.db}-{what}-{name}.txt"
                cmd = [py_spy(), "record", "--pid", str(pid), "--duration", str(int(args.seconds)),
                       "--rate", "100", "--format", "raw", "--output", str(out), "--nonblocking"]
                if args.idle:
                    cmd.append("--idle")
                if args.gil:
                    cmd.append("--gil")
                spies.append(subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT))
                outputs.append(out)
            time.sleep(1)
            if args.get:
                res = loadgen.run_get(srv.url + args.get, concurrency=args.concurrency,
                                      seconds=args.seconds)
            else:
                res = loadgen.run_spike(form_url, concurrency=args.concurrency,
                                        seconds=args.seconds, spec=app.form)
            print(res)
            for s in spies:
                s.wait(60)
    finally:
        if worker:
            worker.close()
    focus = tuple(args.focus)
    for out in outputs:
        if out.exists():
            print(summarise(out, args.top, focus))
    return 0


if __name__ == "__main__":
    sys.exit(main())
