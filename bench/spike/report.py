"""Print the tables of a finished run again from its JSON lines (medians over repeats).

    .venv/bin/python -m bench.spike.report /tmp/clamour-bench/bench.jsonl [--since '2026-11-28 11:00']
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys

from .run import KILL_COLUMNS, READ_COLUMNS, issue_table, table


def load(path: str, since: str = "") -> list[dict]:
    rows, ratios = [], {}
    with open(path) as f:
        for line in f:
            if not line.strip():
                continue
            r = json.loads(line)
            if "ratio_of" in r:
                ratios[r["ratio_of"]] = r
            elif r.get("at", "") >= since:
                rows.append(r)
    for r in rows:
        if r["at"] in ratios:
            r.setdefault("cal_ratio", ratios[r["at"]]["cal_ratio"])
            r.setdefault("cal_accepted_per_s", ratios[r["at"]]["cal_accepted_per_s"])
    return rows


def medians(rows: list[dict], keys: list[str]) -> dict:
    out = {}
    for k in keys:
        vals = [r[k] for r in rows if isinstance(r.get(k), (int, float)) and not isinstance(r.get(k), bool)]
        out[k] = round(statistics.median(vals), 2) if vals else None
    return out


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("jsonl")
    p.add_argument("--since", default="", help="only rows measured at or after this time")
    args = p.parse_args(argv)
    rows = load(args.jsonl, args.since)
    from .run import COLUMNS

    print(table(rows, COLUMNS))
    app_rows = [r for r in rows if r["app"] != "calibration"]
    normal = [r for r in app_rows if not r.get("kill")]
    if normal:
        print("\n" + table(normal, READ_COLUMNS))
    killed = [r for r in app_rows if r.get("kill")]
    if killed:
        print("\n" + table(killed, KILL_COLUMNS))
    keys = ["trivial_get_per_s", "accepted_per_s", "p50_ms", "p95_ms", "p99_ms", "quiet_acc_per_s",
            "quiet_p99_ms", "server_cpu", "worker_cpu", "pg_cpu", "gen_cpu", "other_cpu"]
    print("\nMedians:")
    for app in sorted({r["app"] for r in rows}):
        for db in ("sqlite", "postgres"):
            rs = [r for r in rows if r["app"] == app and r["db"] == db and not r.get("kill")]
            if rs:
                print(f"  {app} {db} (n={len(rs)}): {medians(rs, keys)}")
    if app_rows:
        seconds = app_rows[0].get("seconds_asked", 60)
        print("\n" + issue_table(rows, seconds, app_rows[0]["concurrency"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
