"""Mailings over real SMTP: a mailing to N consenting supporters, and building the
audience of a large campaign.

    .venv/bin/python -m bench.mailing send                     # 100,000 recipients, 1 worker
    .venv/bin/python -m bench.mailing send --recipients 20000 --workers 1 --workers 3
    .venv/bin/python -m bench.mailing send --relay-delay-ms 10
    .venv/bin/python -m bench.mailing send --mode kill         # kill -9 mid-mailing, restart
    .venv/bin/python -m bench.mailing send --mode refuse       # 4xx for --refuse-s, then accept
    .venv/bin/python -m bench.mailing audience --supporters 1000000
    .venv/bin/python -m bench.mailing audience --db postgres --supporters 1000000

`send`: reset the database, store N supporters who took one action (with their
consent rows; some said no, opted out, were erased or bounced: they must receive
nothing), queue a mailing to them as a campaigner does (`sending.schedule`), start an
SMTP server on 127.0.0.1 (aiosmtpd, in this process, keeping only the recipient and
Message-ID of each message) and `manage.py worker` process(es) against it, and time
until every expected person has received the mailing. Then count at the receiver:
every expected person exactly once (by recipient and by Message-ID), nobody else.

`--mode kill` kills every worker with SIGKILL once 30 % have arrived and starts them
again at once: the claims they held go stale after TASK_ABANDONED_MINUTES (1 here)
and are sent again with the same Message-ID, so the receiver may see a copy twice
under one Message-ID (what receiving servers drop) but never one person under two.
`--mode refuse` makes the server answer every RCPT with 451 for `--refuse-s` seconds
once 20 % have arrived, then accept again.

`audience`: store N supporters the same way and time, in a fresh process, counting the
audience and storing its recipients (one INSERT … SELECT), with that process's peak
memory (ru_maxrss) before and after. On PostgreSQL the tables are analyzed after the
bulk load, as autovacuum has them on a live database (`--no-analyze`: not).

Set BENCH_WORKDIR to a directory of your own on a shared machine: runs sharing one wait
for each other and reset each other's databases.
"""

import argparse
import asyncio
import dataclasses
import json
import re
import socket
import subprocess
import sys
import threading
import time
from collections import Counter

from aiosmtpd.controller import Controller

from .spike.apps import base_env, query
from .spike.clamour_app import SPEC
from .spike.run import REPO, RunLock, databases, reset_database
from .spike.servers import TaskWorker

APP = dataclasses.replace(SPEC, name="clamour_mailing")
WORKER_CMD = [sys.executable, "manage.py", "worker", "--worker-id", "{worker_id}",
              "--interval", "0.2"]

# Who is left out, by supporter number: a no on the consent question, an opt-out from
# all mailings, an erasure, a hard bounce.
SAID_NO, OPTED_OUT, ERASED, BOUNCED = 11, 47, 89, 97


def expected(n: int) -> set[int]:
    return {i for i in range(1, n + 1)
            if i % SAID_NO and i % OPTED_OUT and i % ERASED and i % BOUNCED}


def seed(n: int, analyze: bool = True) -> int:
    """Store n supporters who took one petition, in a few statements (run inside the
    app: `manage.py shell`), then, on PostgreSQL, update the planner's statistics
    (`analyze`). Returns the action's id."""
    from django.db import connection, transaction

    from clamour.actions.models import Action
    from clamour.testing.factories import make_campaign

    action = make_campaign("bench-mailing", kind=Action.Kind.PETITION,
                           require_confirmation=False, deadline_in=None).action
    numbers = f"WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {n})"
    statements = [
        f"""{numbers} INSERT INTO supporters_supporter
            (id, email, name, country, postcode, referral_code, language, created_at)
            SELECT i, 'p' || i || '@bench.example', 'Person ' || i,
                   CASE WHEN i % 5 = 0 THEN 'FR' ELSE 'GB' END, '', 'r' || i, '',
                   CURRENT_TIMESTAMP
            FROM n""",
        f"""INSERT INTO actions_submission (action_id, supporter_id, name, email, country,
            postcode, subject, body, comment, consent_given, consent_wording, reply_to_ok,
            referral_code, utm_source, utm_campaign, status, created_at, confirmed_at,
            confirmation_error)
            SELECT {action.pk}, id, name, email, country, '', '', '', '',
                   id % {SAID_NO} <> 0, 'Email me', FALSE, '', '', '', 'confirmed',
                   CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, ''
            FROM supporters_supporter""",
        f"""INSERT INTO supporters_consent (supporter_id, wording, given, topic, source,
            created_at)
            SELECT id, 'Email me', id % {SAID_NO} <> 0, '{action.campaign.email_topic()}',
                   'action:{action.pk}', CURRENT_TIMESTAMP
            FROM supporters_supporter""",
        f"""INSERT INTO supporters_emailoptout (supporter_id, topic, created_at)
            SELECT id, 'all', CURRENT_TIMESTAMP FROM supporters_supporter
            WHERE id % {OPTED_OUT} = 0""",
        f"""UPDATE supporters_supporter SET erased_at = CURRENT_TIMESTAMP
            WHERE id % {ERASED} = 0""",
        f"""INSERT INTO mailings_bouncedaddress (email, kind, detail, created_at)
            SELECT email, 'bounce', '550 5.1.1', CURRENT_TIMESTAMP FROM supporters_supporter
            WHERE id % {BOUNCED} = 0""",
    ]
    with transaction.atomic(), connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)
    if analyze and connection.vendor == "postgresql":
        # A live database's tables are analyzed by autovacuum as they grow; straight
        # after a bulk load of a million rows they are not yet, and the planner takes
        # each table for a few rows (nested loops where hash joins belong).
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return action.pk


def queue_mailing() -> int:
    """Queue a mailing to the bench campaign's supporters, as the send button does."""
    from clamour.actions.models import Action
    from clamour.mailings import sending
    from clamour.mailings.models import Mailing

    action = Action.objects.get(campaign__slug="bench-mailing")
    mailing = Mailing.objects.create(
        subject="The new draft is out", action=action, link_action=action,
        body="Dear {name},\n\nThe new draft is **weaker**. Please write again: {link}\n")
    sending.schedule(mailing, None)
    return mailing.pk


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


MESSAGE_ID = re.compile(rb"^Message-ID:\s*(\S+)", re.MULTILINE | re.IGNORECASE)


class Receiver:
    """An SMTP server that keeps only what the count needs: (recipients, Message-ID)."""

    def __init__(self, delay_ms: float):
        self.delay = delay_ms / 1000
        self.got: list[tuple[tuple[str, ...], bytes]] = []
        self.refusing = False
        self.refused = self.sessions = 0
        self.lock = threading.Lock()
        self.controller = Controller(self, hostname="127.0.0.1", port=_free_port())

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        session.host_name = hostname
        self.sessions += 1
        return responses

    async def handle_MAIL(self, server, session, envelope, address, mail_options):
        if self.delay:
            await asyncio.sleep(self.delay)
        envelope.mail_from = address
        return "250 OK"

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.delay:
            await asyncio.sleep(self.delay)
        if self.refusing:
            self.refused += 1
            return "451 4.7.1 Try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.delay:
            await asyncio.sleep(self.delay)
        found = MESSAGE_ID.search(envelope.content)
        with self.lock:
            self.got.append((tuple(envelope.rcpt_tos), found.group(1) if found else b""))
        return "250 Message accepted for delivery"


def _manage(env, *args, timeout=1800):
    done = subprocess.run([sys.executable, "manage.py", *args], cwd=REPO, env=env,
                          timeout=timeout, capture_output=True, text=True)
    if done.returncode:
        sys.stderr.write(done.stderr[-4000:])
        raise SystemExit(f"manage.py {args[0]} failed (exit status {done.returncode})")
    return done.stdout


def _prepare(db, env, n: int, analyze: bool = True) -> float:
    reset_database(db.url)
    _manage(env, "migrate", "--noinput", "-v", "0")
    started = time.perf_counter()
    _manage(env, "shell", "-c", f"from bench.mailing import seed; seed({n}, analyze={analyze})")
    return time.perf_counter() - started


def run_send(db, n: int, workers: int, delay_ms: float, mode: str, timeout: float,
             refuse_s: float, run_dir) -> dict:
    receiver = Receiver(delay_ms)
    receiver.controller.start()
    env = base_env(APP, db.url, dict(db.env))
    env["EMAIL_URL"] = f"smtp://127.0.0.1:{receiver.controller.port}?keepalive=100"
    env["TASK_ABANDONED_MINUTES"] = "1"
    seed_s = _prepare(db, env, n)
    want = expected(n)
    _manage(env, "shell", "-c", "from bench.mailing import queue_mailing; queue_mailing()")
    pool = [TaskWorker([a.replace("{worker_id}", f"mailing-{k}") for a in WORKER_CMD], env,
                       run_dir / f"worker{k}.log", REPO) for k in range(workers)]
    events = []
    started = time.perf_counter()
    for worker in pool:
        worker.start()
    refuse_from = None
    try:
        while time.perf_counter() - started < timeout:
            with receiver.lock:
                arrived = len(receiver.got)
            if arrived >= len(want):
                break
            elapsed = time.perf_counter() - started
            if mode == "kill" and not events and arrived >= 0.3 * len(want):
                for worker in pool:
                    worker.kill9()
                events.append(f"kill -9 of {workers} worker(s) at {elapsed:.1f} s, {arrived} arrived")
                for worker in pool:
                    worker.start()
            if mode == "refuse" and refuse_from is None and arrived >= 0.2 * len(want):
                receiver.refusing, refuse_from = True, elapsed
                events.append(f"4xx from {elapsed:.1f} s, {arrived} arrived")
            if refuse_from is not None and receiver.refusing and elapsed - refuse_from >= refuse_s:
                receiver.refusing = False
                events.append(f"accepting again at {elapsed:.1f} s, {arrived} arrived")
            time.sleep(0.1)
        seconds = time.perf_counter() - started
        time.sleep(2)  # anything still in flight
        cpu = sum(worker.cpu_s() for worker in pool)
    finally:
        for worker in pool:
            worker.close()
        receiver.controller.stop()
    by_recipient = Counter(rcpt for rcpts, _mid in receiver.got for rcpt in rcpts)
    ids_of = {}
    for rcpts, mid in receiver.got:
        for rcpt in rcpts:
            ids_of.setdefault(rcpt, set()).add(mid)
    by_message_id = Counter(mid for _rcpts, mid in receiver.got)
    want_addresses = {f"p{i}@bench.example" for i in want}
    rows = dict(query(db.url, "SELECT status, count(*) FROM mailings_recipient GROUP BY status"))
    return {
        "db": db.name, "workers": workers, "relay_delay_ms": delay_ms, "mode": mode,
        "supporters": n, "expected": len(want), "seed_s": round(seed_s, 1),
        "seconds": round(seconds, 1), "per_s": round(len(want) / seconds, 1),
        "messages_received": len(receiver.got),
        "people_reached": len(set(by_recipient) & want_addresses),
        "missing": len(want_addresses - set(by_recipient)),
        "not_in_audience_reached": len(set(by_recipient) - want_addresses),
        "people_with_two_message_ids": sum(1 for ids in ids_of.values() if len(ids) > 1),
        "copies_again_same_message_id": sum(k - 1 for k in by_message_id.values() if k > 1),
        "refused_rcpt": receiver.refused, "smtp_sessions": receiver.sessions,
        "worker_cpu_ms_per_message": round(cpu * 1000 / max(1, len(receiver.got)), 2),
        "rows": rows, "events": events,
    }


AUDIENCE = """
import json, resource, time
from django.db import transaction
from clamour.actions.models import Action
from clamour.mailings.models import Mailing
from clamour.mailings.sending import build_recipients
action = Action.objects.get(campaign__slug="bench-mailing")
mailing = Mailing.objects.create(subject="s", body="b", action=action)
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
t = time.perf_counter(); count = mailing.audience().count(); count_s = time.perf_counter() - t
t = time.perf_counter()
with transaction.atomic():
    stored = build_recipients(mailing)
build_s = time.perf_counter() - t
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"count": count, "stored": stored, "count_s": round(count_s, 2),
                  "build_s": round(build_s, 2), "peak_rss_mb_before": round(before / 1024, 1),
                  "peak_rss_mb_after": round(after / 1024, 1)}))
"""


def run_audience(db, n: int, analyze: bool) -> dict:
    env = base_env(APP, db.url, dict(db.env))
    seed_s = _prepare(db, env, n, analyze)
    out = _manage(env, "shell", "-c", AUDIENCE)
    result = json.loads(out.strip().splitlines()[-1])
    return {"db": db.name, "supporters": n, "expected": len(expected(n)),
            "analyzed": analyze and db.name == "postgres", "seed_s": round(seed_s, 1),
            **result, "correct": result["count"] == result["stored"] == len(expected(n))}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("what", choices=["send", "audience"])
    parser.add_argument("--db", action="append", choices=["sqlite", "postgres"])
    parser.add_argument("--recipients", type=int, default=100_000,
                        help="supporters stored for `send` (some are left out on purpose)")
    parser.add_argument("--supporters", type=int, default=1_000_000, help="for `audience`")
    parser.add_argument("--workers", action="append", type=int)
    parser.add_argument("--relay-delay-ms", type=float, default=0.0,
                        help="hold back each MAIL, RCPT and end-of-DATA reply this long")
    parser.add_argument("--mode", choices=["plain", "kill", "refuse"], default="plain")
    parser.add_argument("--refuse-s", type=float, default=60.0)
    parser.add_argument("--no-analyze", action="store_true",
                        help="PostgreSQL: leave the tables unanalyzed after the bulk load")
    parser.add_argument("--timeout", type=float, default=1800, help="seconds per run at most")
    args = parser.parse_args(argv)
    dbs = databases(APP)
    rows = []
    from .spike.run import WORKDIR

    with RunLock():
        for name in args.db or ["sqlite"]:
            if args.what == "audience":
                row = run_audience(dbs[name], args.supporters, not args.no_analyze)
                print(json.dumps(row), flush=True)
                rows.append(row)
                continue
            for workers in args.workers or [1]:
                run_dir = WORKDIR / f"mailing-{name}-{workers}-{args.mode}"
                run_dir.mkdir(parents=True, exist_ok=True)
                row = run_send(dbs[name], args.recipients, workers, args.relay_delay_ms,
                               args.mode, args.timeout, args.refuse_s, run_dir)
                print(json.dumps(row), flush=True)
                rows.append(row)
    if args.what == "audience":
        return 0 if all(r["correct"] for r in rows) else 1
    print("| db | workers | relay ms | mode | expected | seconds | messages/s | received "
          "| missing | outsiders | person under 2 IDs | same-ID copies again | worker CPU ms/msg |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        print(f"| {r['db']} | {r['workers']} | {r['relay_delay_ms']:g} | {r['mode']} | {r['expected']} "
              f"| {r['seconds']} | {r['per_s']} | {r['messages_received']} | {r['missing']} "
              f"| {r['not_in_audience_reached']} | {r['people_with_two_message_ids']} "
              f"| {r['copies_again_same_message_id']} | {r['worker_cpu_ms_per_message']} |")
    ok = all(r["missing"] == 0 and r["not_in_audience_reached"] == 0
             and r["people_with_two_message_ids"] == 0 for r in rows)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
