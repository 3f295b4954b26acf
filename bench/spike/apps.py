"""Apps the spike driver can run. An app is described by an ``AppSpec``.

To plug in another app, write a module with an ``AppSpec`` and pass
``--app package.module:SPEC`` (see bench/spike/README.md for a Clamour sketch).
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import dj_database_url

from bench.loadgen import FormSpec, calibration_fields

REPO = Path(__file__).resolve().parents[2]


@dataclass
class Verification:
    acknowledged: int
    found: int  # acknowledged submissions present in the database
    missing: list[str]
    tasks: int  # queued task rows seen
    submissions: int  # all submission rows (includes warm-up)

    @property
    def ok(self) -> bool:
        return not self.missing and self.tasks >= self.submissions


@dataclass
class AppSpec:
    name: str
    settings: str  # DJANGO_SETTINGS_MODULE
    wsgi: str  # "module:callable"
    form_path: str  # GET shows the form, POST submits it
    trivial_path: str  # a cheap GET, the req/s yardstick; also the readiness probe
    form: FormSpec = field(default_factory=FormSpec)
    asgi: str | None = None
    # An RSGI entry point: granian serves it instead of `wsgi` (threads as WEB_THREADS).
    rsgi: str | None = None
    # prepare(env): make the (already empty) database ready, e.g. run migrations.
    prepare: Callable[[dict], None] | None = None
    # verify(database_url, acknowledged_emails) -> Verification
    verify: Callable[[str, list[str]], Verification] | None = None
    env: dict[str, str] = field(default_factory=dict)
    # Everything below is optional (the calibration app has none of it).
    ready_path: str | None = None  # readiness probe; default trivial_path
    page_path: str | None = None  # the public page a refresh storm hits
    count_path: str | None = None  # the live-count JSON ({"count": n})
    count_sql: str | None = None  # the count read straight from the database
    worker_cmd: list[str] | None = None  # background worker ("{worker_id}" is filled in)
    # per_run_env(run_dir): environment that belongs to one run (e.g. a mail directory)
    per_run_env: Callable[[str], dict[str, str]] | None = None
    # undelivered(database_url, acknowledged_emails) -> emails without a sent letter
    undelivered: Callable[[str, list[str]], list[str]] | None = None
    # task_states(database_url) -> {status: rows} of the task queue
    task_states: Callable[[str], dict[str, int]] | None = None


def django_migrate(env: dict) -> None:
    subprocess.run(
        [sys.executable, "-m", "django", "migrate", "--noinput", "-v", "0"],
        cwd=REPO, env=env, check=True, timeout=300,
    )


def query(database_url: str, sql: str) -> list[tuple]:
    """Run one read-only SQL statement directly against the database (not via the app)."""
    cfg = dj_database_url.parse(database_url)
    if cfg["ENGINE"].endswith("sqlite3"):
        con = sqlite3.connect(f"file:{cfg['NAME']}?mode=ro", uri=True, timeout=30)
        try:
            return con.execute(sql).fetchall()
        finally:
            con.close()
    import psycopg

    with psycopg.connect(
        dbname=cfg["NAME"], user=cfg["USER"], password=cfg["PASSWORD"] or None,
        host=cfg["HOST"] or None, port=cfg["PORT"] or None,
    ) as con:
        return con.execute(sql).fetchall()


def sql_verifier(emails_sql: str, tasks_sql: str) -> Callable[[str, list[str]], Verification]:
    """Verifier from two queries: all submitted emails, and the number of queued tasks."""

    def verify(database_url: str, acked: list[str]) -> Verification:
        in_db = {row[0] for row in query(database_url, emails_sql)}
        missing = [e for e in acked if e not in in_db]
        tasks = query(database_url, tasks_sql)[0][0]
        return Verification(len(acked), len(acked) - len(missing), missing, tasks, len(in_db))

    return verify


CALIBRATION = AppSpec(
    name="calibration",
    settings="bench.calibration.calapp.settings",
    wsgi="bench.calibration.calapp.wsgi:application",
    asgi="bench.calibration.calapp.asgi:application",
    form_path="/letter/",
    trivial_path="/trivial",
    form=FormSpec(fields=calibration_fields),
    prepare=django_migrate,
    verify=sql_verifier(
        "SELECT email FROM calapp_submission",
        "SELECT count(*) FROM calapp_outboxtask WHERE name = 'send_confirmation_email'",
    ),
)

APPS = {"calibration": CALIBRATION}
NAMED = {"clamour": "bench.spike.clamour_app:SPEC"}


def load_app(name: str) -> AppSpec:
    if name in APPS:
        return APPS[name]
    name = NAMED.get(name, name)
    import importlib

    module, _, attr = name.partition(":")
    return getattr(importlib.import_module(module), attr or "SPEC")


def base_env(app: AppSpec, database_url: str, extra: dict[str, str]) -> dict[str, str]:
    env = {**os.environ, **app.env, **extra}
    env.update(
        DJANGO_SETTINGS_MODULE=app.settings,
        DATABASE_URL=database_url,
        PYTHONPATH=os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")])),
    )
    return env
