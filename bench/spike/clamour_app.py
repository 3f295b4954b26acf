"""The real app under the spike driver: Clamour, served by granian with its task worker.

    .venv/bin/python -m bench.spike --app clamour ...

The driver resets the database; `prepare` migrates it, collects static files and creates the campaign `spike`: a letter action with country
targeting (a dozen countries with their own target, the rest fall back to a default
target) and no email confirmation, so every accepted submission is confirmed at once,
its delivery task is queued in the same transaction, and the public count moves.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys

from bench.loadgen import FormSpec, letter_body

from .apps import REPO, AppSpec, Verification, django_migrate, query

WORKDIR = os.environ.get("BENCH_WORKDIR", "/tmp/clamour-bench")
VAR_DIR = f"{WORKDIR}/clamour-var"
SLUG = "spike"
CONSENT = "Yes, email me about this campaign and what I can do next. I can unsubscribe at any time."
CONSENT_DIGEST = hashlib.sha256(CONSENT.encode()).hexdigest()[:16]  # = actions.forms.wording_digest
TARGET_COUNTRIES = ("FR", "GB", "DE", "KE", "BR", "IN", "US", "ZA", "MX", "JP", "NG", "AR")
# Supporters come from these; the last four have no target of their own (fallback).
SUPPORTER_COUNTRIES = TARGET_COUNTRIES + ("CA", "AU", "ES", "IT")
_BODY = letter_body(0)

SETUP = f"""
from django.db import transaction
from clamour.actions.models import Action, Target
from clamour.campaigns.models import Campaign, Update

with transaction.atomic():
    campaign = Campaign.objects.create(
        slug={SLUG!r}, status=Campaign.Status.LIVE,
        title="Stop arms transfers to abusive governments",
        summary="Governments are deciding this week. Write to yours: it takes four minutes.",
        story=("## Why now\\n\\n" + "Arms keep flowing to governments that turn them on their "
               "own people. **This week** the treaty text is being finalised.\\n\\n") * 6,
    )
    for n in range(2):
        Update.objects.create(campaign=campaign, title=f"Update {{n}}",
                              body="Delegations are listening. *Keep writing.*")
    action = Action.objects.create(
        campaign=campaign, kind=Action.Kind.LETTER, title="Write to your government",
        intro="Your letter goes to your own government's foreign minister.",
        letter_subject="Stop arms transfers to abusive governments",
        letter_template="Dear {{target_name}},\\n\\nPlease support a strong treaty.",
        goal=1_000_000, require_confirmation=False,
        targeting=Action.Targeting.COUNTRY, fallback=Action.Fallback.DEFAULT_TARGET,
        consent_wording={CONSENT!r},
    )
    for code in {TARGET_COUNTRIES!r}:
        Target.objects.create(action=action, country=code, name=f"Minister {{code}}",
                              title="Foreign Minister", email=f"minister.{{code.lower()}}@example.org")
    Target.objects.create(action=action, name="Treaty Secretariat", title="Chair",
                          email="chair@example.org", is_default=True)
"""


def prepare(env: dict) -> None:
    django_migrate(env)
    subprocess.run([sys.executable, "-m", "django", "collectstatic", "--noinput", "-v", "0"],
                   cwd=REPO, env=env, check=True, timeout=300)  # a second when nothing changed
    subprocess.run([sys.executable, "-m", "django", "shell", "-c", SETUP],
                   cwd=REPO, env=env, check=True, timeout=120)


def fields(n: int, run_id: str) -> dict[str, str]:
    """Supporter n's letter, as the campaign page's action form sends it."""
    return {
        "name": f"Supporter {n}",
        "email": f"s{n}.{run_id}@example.org",
        "country": SUPPORTER_COUNTRIES[n % len(SUPPORTER_COUNTRIES)],
        "subject": "Stop arms transfers to abusive governments",
        "body": _BODY,
        "consent": "on",
        "consent_digest": CONSENT_DIGEST,
        "ref": "",
    }


ACTION_SQL = f"(SELECT a.id FROM actions_action a JOIN campaigns_campaign c ON c.id = a.campaign_id WHERE c.slug = '{SLUG}')"
CONFIRMED_SQL = f"SELECT count(*) FROM actions_submission WHERE status = 'confirmed' AND action_id = {ACTION_SQL}"
TASK_TABLE = "django_tasks_database_dbtaskresult"


def verify(database_url: str, acked: list[str]) -> Verification:
    """Every acknowledged email has its submission row; every submission its delivery
    queued (a deliver_submissions task per stored batch, listing the batch's ids; the
    worker may have run it already)."""
    rows = query(database_url, f"SELECT id, email FROM actions_submission WHERE action_id = {ACTION_SQL}")
    in_db = {email for _id, email in rows}
    missing = [e for e in acked if e not in in_db]
    queued = queued_deliveries(database_url)
    covered = sum(1 for pk, _email in rows if pk in queued)
    return Verification(len(acked), len(acked) - len(missing), missing, covered, len(in_db))


def queued_deliveries(database_url: str) -> set[int]:
    """The submission ids named by deliver_submission(s) tasks."""
    ids = set()
    for (args_kwargs,) in query(database_url, f"SELECT args_kwargs FROM {TASK_TABLE} "
                                              "WHERE task_path LIKE '%deliver_submission%'"):
        first = (json.loads(args_kwargs) if isinstance(args_kwargs, str) else args_kwargs)["args"][0]
        ids.update(first if isinstance(first, list) else [first])
    return ids


def undelivered(database_url: str, acked: list[str]) -> list[str]:
    """Acknowledged submissions without a letter marked sent (one target each here)."""
    sent = {r[0] for r in query(database_url, f"""
        SELECT s.email FROM actions_submission s JOIN actions_delivery d ON d.submission_id = s.id
        WHERE d.status = 'sent' AND s.action_id = {ACTION_SQL}""")}
    return [e for e in acked if e not in sent]


def task_states(database_url: str) -> dict[str, int]:
    return {s: n for s, n in query(database_url, f"SELECT status, count(*) FROM {TASK_TABLE} GROUP BY status")}


SPEC = AppSpec(
    name="clamour",
    settings="clamour.settings",
    # BENCH_CLAMOUR_WSGI: another entry point for experiments (bench/spike/wsgi_switch.py)
    wsgi=os.environ.get("BENCH_CLAMOUR_WSGI", "clamour.wsgi:application"),
    # What `make serve` runs: the gateway (clamour/gateway.py), unless an experiment
    # names another WSGI entry point.
    rsgi=None if os.environ.get("BENCH_CLAMOUR_WSGI") else "clamour.gateway:app",
    form_path=f"/campaigns/{SLUG}/",
    trivial_path="/robots.txt",
    ready_path="/healthz",
    page_path=f"/campaigns/{SLUG}/",
    count_path=f"/campaigns/{SLUG}/count.json",
    count_sql=CONFIRMED_SQL,
    # The campaign page is one cached copy for everyone: no CSRF token; the form is
    # checked by its Origin / Sec-Fetch-Site headers, which the generator sends.
    form=FormSpec(fields=fields, accepted_status=302, post_path=f"/campaigns/{SLUG}/act/",
                  form_marker=f'action="/campaigns/{SLUG}/act/"', csrf_field=None),
    prepare=prepare,
    verify=verify,
    undelivered=undelivered,
    task_states=task_states,
    # BENCH_WORKER_NICE=10: experiment, the task worker at a lower CPU priority
    worker_cmd=(["nice", "-n", os.environ["BENCH_WORKER_NICE"]] if os.environ.get("BENCH_WORKER_NICE")
                else []) + [sys.executable, "manage.py", "worker", "--worker-id", "{worker_id}"],
    env={
        "SECRET_KEY": "bench-only-secret-key-0123456789abcdefghijklmnop",
        "TRUSTED_PROXIES": "127.0.0.1",
        "CLAMOUR_VAR_DIR": VAR_DIR,
    },
    per_run_env=lambda run_dir: {"EMAIL_URL": f"file://{run_dir}/mail"},
)
