"""BENCH_SWITCH_OFF really turns each piece of machinery off (the bench measures what
each buys by comparing runs with and without it): the SQLite connection class, the
PostgreSQL insert statement, the SMTP sessions a chunk of mail opens."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.mail import EmailMessage
from django.db import connection
from django.test.utils import CaptureQueriesContext

from clamour.actions.delivery import send_all
from clamour.core.speed import bulk
from clamour.lib.config import ConfigError, switched_off
from clamour.supporters.models import Supporter

REPO = Path(__file__).resolve().parents[4]

SHOW = """
import json, django
django.setup()
from django.conf import settings
from django.db import connections
print(json.dumps({"connection": type(connections["default"]).__module__, "email": settings.EMAIL_BACKEND,
                  "mode": settings.DATABASES["default"].get("OPTIONS", {}).get("transaction_mode"),
                  "copy": settings.BULK_COPY}))
"""


def settings_with(tmp_path, switched: str) -> dict:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "clamour.settings",
           "CLAMOUR_VAR_DIR": str(tmp_path), "DATABASE_URL": f"sqlite:///{tmp_path}/db.sqlite3",
           "EMAIL_URL": "smtp://127.0.0.1:2525", "BENCH_SWITCH_OFF": switched}
    out = subprocess.run([sys.executable, "-c", SHOW], cwd=REPO, env=env, check=True,
                         capture_output=True, text=True, timeout=60).stdout
    return json.loads(out.strip().splitlines()[-1])


def test_each_switch_turns_off_its_piece_only(tmp_path):
    production = settings_with(tmp_path, "")
    assert production == {"connection": "clamour.core.speed.sqlite.base", "mode": "IMMEDIATE",
                           "email": "clamour.core.speed.smtp.KeepAliveEmailBackend", "copy": True}
    # Django's own SQLite backend, still BEGIN IMMEDIATE with a timeout.
    assert settings_with(tmp_path, "sqlite-lock") == {
        **production, "connection": "django.db.backends.sqlite3.base"}
    assert settings_with(tmp_path, "copy") == {**production, "copy": False}
    assert settings_with(tmp_path, "smtp-sessions") == {
        **production, "email": "django.core.mail.backends.smtp.EmailBackend"}


def test_an_unknown_name_is_refused():
    assert switched_off(environ={"BENCH_SWITCH_OFF": "copy, sqlite-lock"}) == {"copy", "sqlite-lock"}
    with pytest.raises(ConfigError, match="unknown machinery"):
        switched_off(environ={"BENCH_SWITCH_OFF": "group-commit"})


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="COPY is PostgreSQL's")
def test_without_copy_postgresql_gets_the_multi_row_insert(settings):
    people = [Supporter(email=f"copy{n}@example.net", name="C") for n in range(3)]
    with CaptureQueriesContext(connection) as copied:
        bulk.insert(people)
    assert not any("INSERT" in q["sql"] for q in copied.captured_queries)  # COPY, unlogged

    settings.BULK_COPY = False
    more = [Supporter(email=f"insert{n}@example.net", name="I") for n in range(3)]
    with CaptureQueriesContext(connection) as inserted:
        bulk.insert(more)
    assert [q["sql"].count("), (") for q in inserted.captured_queries if "INSERT" in q["sql"]] == [2]
    assert all(p.pk for p in more) and Supporter.objects.filter(name__in=["C", "I"]).count() == 6


def letters(count: int) -> list:
    return [EmailMessage(f"Letter {n}", "Body", "from@example.org", [f"to{n}@example.net"])
            for n in range(count)]


@pytest.mark.django_db
def test_kept_sessions_carry_on_from_one_chunk_to_the_next(smtp_settings):
    smtp_settings.sessions = 0
    assert send_all(letters(4)) == [None] * 4
    assert send_all(letters(4)) == [None] * 4
    assert len(smtp_settings.messages) == 8
    assert smtp_settings.sessions <= 4  # at most one per sending thread, kept


@pytest.mark.django_db
def test_without_kept_sessions_each_chunk_opens_and_closes_its_own(smtp_settings, settings):
    settings.SMTP_KEPT_SESSIONS = False
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_SESSIONS = 2
    assert send_all(letters(5)) == [None] * 5
    assert send_all(letters(5)) == [None] * 5
    assert smtp_settings.sessions == 4  # two per chunk, none kept
    assert sorted(m["Subject"] for m in smtp_settings.messages) == sorted(
        [f"Letter {n}" for n in range(5)] * 2)
    smtp_settings.fail_next("451 4.3.0 try later")
    errors = send_all(letters(2))
    assert [e is None for e in errors].count(False) == 1  # the error reaches its letter only
