"""The campaign page with and without a query string that picks a variant of it.

    .venv/bin/python -m bench.pagevariants                     # this checkout, SQLite
    .venv/bin/python -m bench.pagevariants --source /tmp/old   # another checkout (git archive)

A shared link to a campaign often carries `?country=FR` (the treaty tracker's map) or
`?comments=newest`; a spike through such a link must be served from the page cache as
the plain page is. For each URL below: start the server as `make serve` does (granian,
its default shape for the database), GET the URL from C clients in a closed loop with a
browser's headers (gzip accepted), bounded by `--seconds` and `--max-requests`, and
print req/s, p50 and p99. The first second of each URL is a warm-up, not counted. The
load generator runs on the same machine, on 127.0.0.1 only.

`--source DIR` runs the server (and migrations) from another checkout of the code, so
the same command measures the code before a change; the campaign is the spike
benchmark's (`bench/spike/clamour_app.py`), with 40 published comments under it.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import subprocess
import sys
from pathlib import Path

from bench.loadgen import run_get

from .spike.apps import REPO, base_env
from .spike.clamour_app import SETUP, SLUG, SPEC
from .spike.run import WORKDIR, RunLock, databases, reset_database
from .spike.servers import Server, ServerConfig

APP = dataclasses.replace(SPEC, name="clamour_variants")
QUERIES = (
    "",
    "?country=FR",
    "?comments=newest",
    "?country=fr&comments=newest&ref=abc123",
    "?country=ZZ",  # not a country: the plain page
    "?comments=oldest",
)

COMMENTS = f"""
from django.utils import timezone
from clamour.campaigns.models import Campaign
from clamour.comments.models import Comment
from clamour.comments.posting import post_comment
from clamour.supporters.models import Supporter

campaign = Campaign.objects.get(slug={SLUG!r})
for n in range(40):
    person = Supporter.objects.create(email=f"c{{n}}@example.org", name=f"Reader {{n}}")
    comment = post_comment(campaign, supporter=person, name=person.name,
                           body=f"Comment {{n}}: the delegations must hear from us this week.")
    Comment.objects.filter(pk=comment.pk).update(
        status=Comment.Status.PUBLISHED, published_at=timezone.now())
"""


def prepare(env: dict, source: Path) -> None:
    def django(*args, timeout=300):
        subprocess.run([sys.executable, "-m", "django", *args], cwd=source, env=env,
                       check=True, timeout=timeout)

    django("migrate", "--noinput", "-v", "0")
    django("collectstatic", "--noinput", "-v", "0")
    django("shell", "-c", SETUP)
    django("shell", "-c", COMMENTS)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--server", default="granian:serve",
                        help="server shape, as bench.spike takes it (default: make serve's)")
    parser.add_argument("-c", "--concurrency", type=int, default=32)
    parser.add_argument("-s", "--seconds", type=float, default=8.0, help="per URL, at most")
    parser.add_argument("--max-requests", type=int, default=100_000, help="per URL, at most")
    parser.add_argument("--source", type=Path, default=REPO,
                        help="the checkout to serve (default: this one)")
    args = parser.parse_args(argv)
    source = args.source.resolve()
    db = databases(APP)[args.db]
    cfg = ServerConfig.parse(args.server).for_db(db.name)
    run_dir = WORKDIR / "pagevariants"
    run_dir.mkdir(parents=True, exist_ok=True)
    env = base_env(APP, db.url, dict(db.env))
    env["PYTHONPATH"] = os.pathsep.join([str(source), str(REPO)])
    env["EMAIL_URL"] = f"file://{run_dir}/mail"
    rows = []
    with RunLock():
        reset_database(db.url)
        prepare(env, source)
        with Server(cfg, APP, env, run_dir / "server.log", source) as server:
            server.wait_ready()
            for query in QUERIES:
                url = f"{server.url}/campaigns/{SLUG}/{query}"
                run_get(url, concurrency=args.concurrency, seconds=1.0,
                        max_requests=args.max_requests)  # warm-up
                res = run_get(url, concurrency=args.concurrency, seconds=args.seconds,
                              max_requests=args.max_requests)
                row = {"query": query or "(none)", "req_per_s": round(res.rate),
                       "p50_ms": round(res.pct(50), 1), "p99_ms": round(res.pct(99), 1),
                       "ok": res.ok, "errors": dict(res.errors)}
                print(json.dumps(row), flush=True)
                rows.append(row)
    print(f"\nCampaign page, {args.db}, {cfg.label}, {args.concurrency} clients, "
          f"{args.seconds:g} s per URL, code from {source}:")
    print("| query string | req/s | p50 ms | p99 ms | errors |")
    print("|---|---|---|---|---|")
    for r in rows:
        print(f"| `{r['query']}` | {r['req_per_s']} | {r['p50_ms']} | {r['p99_ms']} "
              f"| {sum(r['errors'].values())} |")
    return 0 if all(not r["errors"] for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
