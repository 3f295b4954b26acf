"""The campaigner's workspace at size: dashboard server time and a 1M-row CSV export.

    .venv/bin/python -m bench.workspace                        # SQLite and PostgreSQL
    .venv/bin/python -m bench.workspace --db sqlite --sizes 10000 100000

For each database: a fresh database (a SQLite file under /tmp, or the PostgreSQL
database `clamour_ws_bench`), one letter campaign with 8 targets, and submissions
added in steps up to each size (spread over 10 days and 18 countries, 15 % through a
referral, a third with utm tags, 80 % confirmed), stored with the spike's own
multi-row insert. At each size it times, in a child process of its own:

* the campaign dashboard and the /staff/ overview through Django's test client (all
  middleware, the view and the template: server time), the first visit after seeding
  (which sums every closed hour into tallies) and the median of the next 5;
* for comparison, the live COUNT/GROUP BY queries the dashboard would need without
  tallies (total, by country, by hour);

and at the largest size the actions CSV export through the staff page (the whole
stream read and dropped), with its time and the process's peak resident memory before
and after.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
WORKDIR = Path("/tmp/clamour-ws-bench")
PG_URL = "postgres://postgres@127.0.0.1:5432/clamour_ws_bench"
SLUG = "bench"


def env_for(db: str) -> dict:
    env = dict(os.environ)
    env["CLAMOUR_VAR_DIR"] = str(WORKDIR / db)
    env["DJANGO_SETTINGS_MODULE"] = "clamour.settings"
    env["DATABASE_URL"] = PG_URL if db == "postgres" else f"sqlite:///{WORKDIR / db / 'bench.sqlite3'}"
    env.pop("EMAIL_URL", None)
    env["ALLOWED_HOSTS"] = "testserver"
    return env


def run_child(db: str, *args) -> dict:
    out = subprocess.run([sys.executable, "-m", "bench.workspace", "--child", db, *args],
                         cwd=REPO, env=env_for(db), capture_output=True, text=True)
    if out.returncode:
        sys.stderr.write(out.stdout + out.stderr)
        raise SystemExit(f"child failed: {db} {args}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def reset(db: str) -> None:
    if db == "postgres":
        subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-qc",
                        "DROP DATABASE IF EXISTS clamour_ws_bench"], check=True)
        subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-qc",
                        "CREATE DATABASE clamour_ws_bench"], check=True)
    else:
        path = WORKDIR / db / "bench.sqlite3"
        for suffix in ("", "-wal", "-shm"):
            Path(str(path) + suffix).unlink(missing_ok=True)
    (WORKDIR / db).mkdir(parents=True, exist_ok=True)


# ---- in the child process -------------------------------------------------------------

def child_setup():
    import django
    from django.conf import settings

    django.setup()
    # Static files straight from the apps, as in the tests (no collectstatic needed).
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}


def seed(upto: int) -> dict:
    import random
    from datetime import timedelta

    from django.core.management import call_command
    from django.utils import timezone

    from clamour.actions.models import Action, Submission, Target
    from clamour.campaigns.models import Campaign
    from clamour.core.speed import bulk
    from clamour.site.demo import ATT_LETTER, ATT_TARGETS
    from clamour.supporters.models import Supporter
    from clamour.workspace.demo import COUNTRY_WEIGHTS

    call_command("migrate", interactive=False, verbosity=0)
    campaign, made = Campaign.objects.get_or_create(
        slug=SLUG, defaults={"title": "Bench", "summary": "Bench", "story": "Bench",
                             "status": Campaign.Status.LIVE})
    if made:
        action = Action.objects.create(campaign=campaign, title="Write", letter_subject="S",
                                       letter_template=ATT_LETTER, goal=2_000_000,
                                       deadline=timezone.now() + timedelta(days=3),
                                       targeting=Action.Targeting.COUNTRY,
                                       fallback=Action.Fallback.DEFAULT_TARGET)
        for country, name, title, email in ATT_TARGETS:
            Target.objects.create(action=action, country=country, name=name, title=title,
                                  email=email, is_default=country == "GB")
    action = campaign.action
    have = Submission.objects.filter(action=action).count()
    rng = random.Random(have)
    countries, weights = list(COUNTRY_WEIGHTS), list(COUNTRY_WEIGHTS.values())
    now = timezone.now()
    started = time.monotonic()
    from django.db import transaction

    for start in range(have, upto, 5000):
        stop = min(upto, start + 5000)
        with transaction.atomic():
            people = [Supporter(email=f"b{n}@bench.example.org", name=f"Bench {n}",
                                country=rng.choices(countries, weights)[0]) for n in range(start, stop)]
            bulk.insert(people)
            rows = []
            for person in people:
                created = now - timedelta(seconds=rng.uniform(0, 10 * 86400))
                confirmed = rng.random() < 0.8
                source = rng.random()
                rows.append(Submission(
                    action=action, supporter=person, name=person.name, email=person.email,
                    country=person.country, subject="S", body="A short letter body for the bench.",
                    consent_given=rng.random() < 0.6, consent_wording="?",
                    referral_code=f"r{rng.randrange(2000)}" if rng.random() < 0.15 else "",
                    utm_source="newsletter" if source < 0.2 else ("mastodon" if source < 0.33 else ""),
                    utm_campaign="launch" if source < 0.33 else "",
                    status="confirmed" if confirmed else "pending", created_at=created,
                    confirmed_at=min(now, created + timedelta(minutes=30)) if confirmed else None))
            bulk.insert(rows)
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:  # what autovacuum would have done by now
            cursor.execute("ANALYZE")
    return {"seeded": upto - have, "seed_seconds": round(time.monotonic() - started, 1)}


def staff_client():
    from django.contrib.auth import get_user_model
    from django.test import Client

    from clamour.testing.auth import log_in_staff

    user = get_user_model().objects.filter(username="bench").first() or \
        get_user_model().objects.create_superuser("bench", "bench@example.org", "bench pw 123456")
    return log_in_staff(Client(), user)


def timed(fn) -> float:
    started = time.perf_counter()
    fn()
    return (time.perf_counter() - started) * 1000


def measure_dashboard() -> dict:
    from django.db import connection
    from django.db.models import Count
    from django.db.models.functions import TruncHour

    from clamour.actions.models import Submission
    from clamour.campaigns.models import Campaign
    from clamour.workspace.models import Tally, TallyMark

    client = staff_client()
    url = f"/staff/campaigns/{SLUG}/"

    def get(path):
        response = client.get(path)
        assert response.status_code == 200, response.status_code

    action = Campaign.objects.get(slug=SLUG).action
    Tally.objects.filter(action=action).delete()
    TallyMark.objects.filter(action=action).delete()
    first = timed(lambda: get(url))
    dashboard = [timed(lambda: get(url)) for _ in range(5)]
    overview = [timed(lambda: get("/staff/")) for _ in range(5)]
    base = Submission.objects.filter(action=action)
    live = {
        "count": timed(lambda: base.count()),
        "by_country": timed(lambda: list(base.values("country").annotate(n=Count("pk")).order_by())),
        "by_hour": timed(lambda: list(base.annotate(h=TruncHour("created_at")).values("h")
                                      .annotate(n=Count("pk")).order_by())),
    }
    return {
        "vendor": connection.vendor,
        "rows": base.count(),
        "tallies": Tally.objects.filter(action=action).count(),
        "first_visit_ms": round(first),
        "dashboard_ms": round(statistics.median(dashboard), 1),
        "overview_ms": round(statistics.median(overview), 1),
        "live_queries_ms": {k: round(v, 1) for k, v in live.items()},
    }


def measure_export() -> dict:
    import resource

    client = staff_client()
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    response = client.post(f"/staff/campaigns/{SLUG}/export/", {"kind": "actions"})
    size = rows = 0
    for chunk in response.streaming_content:
        size += len(chunk)
        rows += 1
    seconds = time.perf_counter() - started
    rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {"export_rows": rows - 1, "export_mb": round(size / 1e6, 1),
            "export_seconds": round(seconds, 1), "rows_per_second": round((rows - 1) / seconds),
            "peak_rss_mb_before": round(rss_before / 1024), "peak_rss_mb_after": round(rss_after / 1024)}


def child(argv):
    db, what, *rest = argv
    child_setup()
    if what == "seed":
        result = seed(int(rest[0]))
    elif what == "dashboard":
        result = measure_dashboard()
    else:
        result = measure_export()
    print(json.dumps(result))


def main():
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        return child(sys.argv[2:])
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", action="append", choices=["sqlite", "postgres"])
    parser.add_argument("--sizes", nargs="+", type=int, default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--no-export", action="store_true")
    args = parser.parse_args()
    for db in args.db or ["sqlite", "postgres"]:
        reset(db)
        for size in sorted(args.sizes):
            seeded = run_child(db, "seed", str(size))
            result = {"db": db, "size": size, **seeded, **run_child(db, "dashboard")}
            print(json.dumps(result), flush=True)
        if not args.no_export:
            print(json.dumps({"db": db, "size": max(args.sizes), **run_child(db, "export")}), flush=True)


if __name__ == "__main__":
    main()
