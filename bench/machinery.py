"""Prove the custom machinery or drop it: the spike (and letter delivery) with each
piece of clamour/core/speed switched off in turn, against the same run with all on.

    .venv/bin/python -m bench.machinery                    # make bench-machinery
    .venv/bin/python -m bench.machinery --seconds 3 --letters 200 --no-calibration  # a smoke run

Variants (BENCH_SWITCH_OFF, read by clamour/settings.py; docs/tuning.md):

- baseline: everything on, as in production (SQLite and PostgreSQL);
- sqlite-lock: Django's SQLite backend (BEGIN IMMEDIATE, busy timeout) instead of the
  writers' file lock (SQLite only);
- copy: the multi-row INSERT instead of COPY in the group-commit writer (PostgreSQL only);
- smtp-sessions: Django's SMTP backend, a session per chunk (get_connection() +
  send_messages()), instead of sessions kept from one chunk to the next. The spike
  sends no mail, so this one is measured with bench/delivery.py (a spike's letters
  worked off over SMTP on 127.0.0.1), against its baseline.

Each spike runs as `python -m bench.spike --app clamour` does (`make bench`), with the
calibration app measured before each run unless --no-calibration; the table gives
accepted submissions/s, p99 and the ratio to the calibration app, and each variant's
submissions/s as a share of the baseline's on the same database. Rows go to --json-out
too. The machine must be quiet: run it where `make bench` runs.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

SPIKE_VARIANTS = [("baseline", "", ["sqlite", "postgres"]),
                  ("sqlite-lock", "sqlite-lock", ["sqlite"]),
                  ("copy", "copy", ["postgres"])]
DELIVERY_VARIANTS = [("baseline", ""), ("smtp-sessions", "smtp-sessions")]


def _env(switched: str) -> dict:
    return {**os.environ, "BENCH_SWITCH_OFF": switched}


def run_spike(switched: str, db: str, args) -> list[dict]:
    with tempfile.NamedTemporaryFile(suffix=".jsonl", delete=False) as out:
        path = out.name
    command = [sys.executable, "-m", "bench.spike", "--app", "clamour", "--server", args.server,
               "--db", db, "--seconds", str(args.seconds), "--repeat", str(args.repeat),
               "--json-out", path, *args.spike_arg]
    if not args.calibration:
        command.append("--no-calibration")
    subprocess.run(command, cwd=REPO, env=_env(switched), check=False, stdout=sys.stderr)
    rows = [json.loads(line) for line in Path(path).read_text().splitlines() if line.strip()]
    os.unlink(path)
    ratios = {r["ratio_of"]: r["cal_ratio"] for r in rows if "ratio_of" in r}
    found = [r for r in rows if r.get("app") == "clamour" and "accepted_per_s" in r]
    for row in found:
        row["cal_ratio"] = ratios.get(row["at"])
    return found


def run_delivery(switched: str, db: str, args) -> list[dict]:
    command = [sys.executable, "-m", "bench.delivery", "--letters", str(args.letters),
               "--db", db, "--keepalive", "100", "--relay-delay-ms", str(args.relay_delay_ms)]
    for _ in range(args.repeat):
        done = subprocess.run(command, cwd=REPO, env=_env(switched), capture_output=True,
                              text=True, check=False)
        sys.stderr.write(done.stderr)
        yield from (json.loads(line) for line in done.stdout.splitlines() if line.startswith("{"))


def _median(rows, key):
    values = [r[key] for r in rows if r.get(key) is not None]
    return statistics.median(values) if values else None


def _fmt(value, pattern="{:.0f}"):
    return "–" if value is None else pattern.format(value)


def spike_table(results: dict) -> str:
    lines = ["| variant | db | runs | submissions/s | p99 ms | ÷ calibration | ÷ baseline |",
             "|---|---|---|---|---|---|---|"]
    for (variant, db), rows in results.items():
        rate = _median(rows, "accepted_per_s")
        base = _median(results.get(("baseline", db), []), "accepted_per_s")
        share = rate / base if rate is not None and base else None
        lines.append(f"| {variant} | {db} | {len(rows)} | {_fmt(rate)} | {_fmt(_median(rows, 'p99_ms'))} "
                     f"| {_fmt(_median(rows, 'cal_ratio'), '{:.2f}')} | {_fmt(share, '{:.2f}')} |")
    return "\n".join(lines)


def delivery_table(results: dict) -> str:
    lines = ["| variant | db | runs | letters/s | SMTP sessions | worker CPU ms/letter | all arrived once | ÷ baseline |",
             "|---|---|---|---|---|---|---|---|"]
    for (variant, db), rows in results.items():
        rate = _median(rows, "letters_per_s")
        base = _median(results.get(("baseline", db), []), "letters_per_s")
        complete = all(r["complete"] and not r["twice"] for r in rows) if rows else None
        lines.append(f"| {variant} | {db} | {len(rows)} | {_fmt(rate, '{:.1f}')} "
                     f"| {_fmt(_median(rows, 'sessions'))} "
                     f"| {_fmt(_median(rows, 'worker_cpu_ms_per_letter'), '{:.2f}')} | {complete} "
                     f"| {_fmt(rate / base if rate and base else None, '{:.2f}')} |")
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=60, help="each spike's length")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each variant (medians)")
    parser.add_argument("--server", default="granian:serve")
    parser.add_argument("--db", action="append", choices=["sqlite", "postgres"],
                        help="databases to measure (repeatable; default both)")
    parser.add_argument("--letters", type=int, default=5000, help="letters for the SMTP variant")
    parser.add_argument("--relay-delay-ms", type=float, default=0.0,
                        help="the SMTP server holds back its replies, as a relay this far away")
    parser.add_argument("--no-calibration", dest="calibration", action="store_false")
    parser.add_argument("--only", action="append",
                        choices=[v for v, _s, _d in SPIKE_VARIANTS] + ["smtp-sessions"],
                        help="run only these variants (repeatable), each with its baseline")
    parser.add_argument("--spike-arg", action="append", default=[],
                        help="passed on to bench.spike, e.g. --spike-arg=--quiet-wait=5")
    parser.add_argument("--json-out", help="append every result row (JSON lines) here")
    args = parser.parse_args(argv)
    dbs = args.db or ["sqlite", "postgres"]
    wanted = set(args.only or []) | {"baseline"}

    spike = {}
    spike_wanted = not args.only or bool(wanted & {v for v, _s, _d in SPIKE_VARIANTS[1:]})
    for variant, switched, variant_dbs in SPIKE_VARIANTS:
        if not spike_wanted or (args.only and variant not in wanted):
            continue
        for db in [d for d in variant_dbs if d in dbs]:
            print(f"--- spike: {variant} on {db}", file=sys.stderr, flush=True)
            spike[(variant, db)] = run_spike(switched, db, args)
    delivery = {}
    if not args.only or "smtp-sessions" in wanted:
        for variant, switched in DELIVERY_VARIANTS:
            for db in dbs:
                print(f"--- delivery: {variant} on {db}", file=sys.stderr, flush=True)
                delivery[(variant, db)] = list(run_delivery(switched, db, args))
    if args.json_out:
        with open(args.json_out, "a") as f:
            for kind, results in (("spike", spike), ("delivery", delivery)):
                for (variant, db), rows in results.items():
                    for row in rows:
                        f.write(json.dumps({"bench": "machinery", "kind": kind,
                                            "variant": variant, **row, "db": db}) + "\n")

    if spike:
        print(f"\nSpike ({args.seconds:g} s, {args.repeat} run(s) each, {args.server}): "
              "each piece switched off against everything on")
        print(spike_table(spike))
    if delivery:
        print(f"\nLetter delivery after a spike ({args.letters} letters, SMTP on 127.0.0.1, "
              f"replies held back {args.relay_delay_ms:g} ms, keepalive 100 for the baseline)")
        print(delivery_table(delivery))
    ok = all(rows for rows in spike.values()) and all(
        rows and all(r["complete"] for r in rows) for rows in delivery.values())
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
