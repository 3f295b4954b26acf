"""How fast the task worker works off a spike's backlog of letters, over real SMTP.

    .venv/bin/python -m bench.delivery                      # 2,000 letters, SQLite
    .venv/bin/python -m bench.delivery --letters 5000 --db sqlite --db postgres \\
        --keepalive 0 --keepalive 100
    .venv/bin/python -m bench.delivery --relay-delay-ms 10 --workers 1 --workers 4

For each database and each `keepalive` (EMAIL_URL's messages per SMTP session; 0 is
Django's backend, a session per message): reset the database, store N confirmed
letters the way a spike does (the campaign `spike` of bench/spike, in batches of 200,
each batch with its `deliver_submissions` task queued), start an SMTP server on 127.0.0.1 (aiosmtpd,
in this process, as the tests use) and `manage.py worker` against it, and time until
every letter has reached the server, bounded by `--timeout`. Prints letters/s, SMTP
sessions opened, the worker's CPU per letter, and checks that every letter arrived
once and every delivery row says sent.

The relay is on loopback, so a session costs what it costs here (a TCP connection, the
greeting, EHLO: well under a millisecond); a relay across a network, with STARTTLS and
AUTH, costs several round trips more per session, which is what keepalive saves.
`--relay-delay-ms D` makes the server hold back its replies to MAIL, RCPT and the end of
DATA by D ms each, as a relay D ms away would (3 D per message, sessions not delayed),
and `--workers N` runs N worker processes, as WORKER_PROCESSES=N makes `make serve` do.
"""

import argparse
import dataclasses
import json
import sys
import time
from collections import Counter

from clamour.testing.smtp import SMTPServer

from .spike.apps import base_env, query
from .spike.clamour_app import ACTION_SQL, SETUP, SLUG, SPEC
from .spike.run import REPO, WORKDIR, RunLock, databases, reset_database
from .spike.servers import TaskWorker

APP = dataclasses.replace(SPEC, name="clamour_delivery")

# Store the letters as the group-commit writer does during a spike: batches of 200.
STORE = """
import sys
from clamour.actions.forms import SubmissionForm
from clamour.actions.submissions import record_submissions
from clamour.campaigns.views import campaign_and_targets
from django.db import transaction
from bench.spike.clamour_app import fields
campaign, targets = campaign_and_targets({slug!r})
rows = [fields(n, "delivery") for n in range({letters})]
for start in range(0, len(rows), 200):
    batch = []
    for data in rows[start:start + 200]:
        form = SubmissionForm(data, action=campaign.action, targets=targets)
        if not form.is_valid():
            sys.exit(f"bench letter refused: {{form.errors.as_json()}}")
        batch.append(form.cleaned_data)
    with transaction.atomic():
        record_submissions(campaign.action, batch)
"""


def prepare(env: dict, letters: int) -> None:
    import subprocess

    subprocess.run([sys.executable, "-m", "django", "migrate", "--noinput", "-v", "0"],
                   cwd=REPO, env=env, check=True, timeout=300)
    for script in (SETUP, STORE.format(slug=SLUG, letters=letters)):
        subprocess.run([sys.executable, "-m", "django", "shell", "-c", script],
                       cwd=REPO, env=env, check=True, timeout=600)


def run_one(db, keepalive: int, letters: int, timeout: float, workers: int = 1,
            delay_ms: float = 0.0) -> dict:
    run_dir = WORKDIR / f"delivery-{db.name}-keepalive{keepalive}-workers{workers}"
    run_dir.mkdir(parents=True, exist_ok=True)
    smtp = SMTPServer(reply_delay=delay_ms / 1000)
    smtp.start()
    env = base_env(APP, db.url, dict(db.env))
    env["EMAIL_URL"] = f"smtp://127.0.0.1:{smtp.port}?keepalive={keepalive}"
    reset_database(db.url)
    prepare(env, letters)
    pool = [TaskWorker([a.replace("{worker_id}", f"bench-delivery-{n}") for a in APP.worker_cmd],
                       env, run_dir / f"worker{n}.log", REPO) for n in range(workers)]
    started = time.perf_counter()
    for worker in pool:
        worker.start()
    try:
        while len(smtp.messages) < letters and time.perf_counter() - started < timeout:
            time.sleep(0.05)
        seconds = time.perf_counter() - started
        cpu = sum(worker.cpu_s() for worker in pool)
    finally:
        for worker in pool:
            worker.close()
        smtp.stop()
    arrived = Counter(m["Message-ID"] for m in smtp.messages)
    sent_rows = query(db.url, f"""SELECT count(*) FROM actions_delivery d
        JOIN actions_submission s ON s.id = d.submission_id
        WHERE d.status = 'sent' AND s.action_id = {ACTION_SQL}""")[0][0]
    return {
        "db": db.name, "keepalive": keepalive, "workers": workers, "relay_delay_ms": delay_ms,
        "letters": letters,
        "arrived": len(arrived), "twice": sum(1 for n in arrived.values() if n > 1),
        "rows_sent": sent_rows, "seconds": round(seconds, 2),
        "letters_per_s": round(len(smtp.messages) / seconds, 1),
        "sessions": smtp.sessions, "worker_cpu_ms_per_letter": round(cpu * 1000 / max(1, len(smtp.messages)), 2),
        "complete": len(arrived) == letters and sent_rows == letters,
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--letters", type=int, default=2000)
    parser.add_argument("--db", action="append", choices=["sqlite", "postgres"])
    parser.add_argument("--keepalive", action="append", type=int)
    parser.add_argument("--workers", action="append", type=int, help="worker processes (repeatable)")
    parser.add_argument("--relay-delay-ms", type=float, default=0.0,
                        help="hold back each MAIL, RCPT and end-of-DATA reply this long")
    parser.add_argument("--timeout", type=float, default=300, help="seconds per run at most")
    args = parser.parse_args(argv)
    dbs = databases(APP)
    rows = []
    with RunLock():
        for name in args.db or ["sqlite"]:
            for keepalive in args.keepalive or [0, 100]:
                for workers in args.workers or [1]:
                    row = run_one(dbs[name], keepalive, args.letters, args.timeout, workers,
                                  args.relay_delay_ms)
                    print(json.dumps(row), flush=True)
                    rows.append(row)
    print(f"\n{args.letters} confirmed letters, one target each, workers against SMTP on "
          f"127.0.0.1, replies held back {args.relay_delay_ms:g} ms:")
    print("| db | keepalive | workers | letters/s | seconds | SMTP sessions | worker CPU ms/letter "
          "| arrived | twice | complete |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        print(f"| {r['db']} | {r['keepalive']} | {r['workers']} | {r['letters_per_s']} | {r['seconds']} "
              f"| {r['sessions']} | {r['worker_cpu_ms_per_letter']} | {r['arrived']} | {r['twice']} "
              f"| {r['complete']} |")
    return 0 if all(r["complete"] for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
