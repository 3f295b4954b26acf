"""Fixtures shared by the whole suite: personas, a demo-like campaign, a real SMTP
server on 127.0.0.1, and a way to run queued background tasks."""

import logging

import pytest

# The test SMTP server logs every command it receives; keep failures readable.
logging.getLogger("mail.log").setLevel(logging.WARNING)


@pytest.fixture(autouse=True)
def _plain_static_files(settings):
    # Hashed static names need `collectstatic`; tests serve files straight from the apps.
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}


@pytest.fixture(autouse=True)
def _no_group_commit(settings):
    # The writer thread has its own connection, which cannot see a test's uncommitted
    # data; tests of group commit itself switch it back on with transactional_db.
    settings.GROUP_COMMIT = False


@pytest.fixture(scope="session", autouse=True)
def _own_rate_limit_table(tmp_path_factory):
    # The rate-limit table is a file shared by every process on the machine: each test
    # process (pytest-xdist runs several) counts in a table of its own.
    from clamour.core import ratelimit

    ratelimit.shared_counters.path = tmp_path_factory.mktemp("ratelimit") / "counters"


@pytest.fixture(autouse=True)
def _default_language():
    # The test client serves requests in the test's own thread, and a page in another
    # language leaves that language active there; each test starts in the default one.
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _fresh_cache():
    # Counters are cached for COUNT_INTERVAL; each test starts from an empty cache.
    from django.core.cache import cache

    from clamour.core import ratelimit
    from clamour.core.speed import localcache

    cache.clear()
    localcache.clear()
    ratelimit.shared_counters.clear()
    yield
    cache.clear()
    localcache.clear()
    ratelimit.shared_counters.clear()


@pytest.fixture
def run_tasks(db):
    """Run every background task that is due, as the worker would. Returns the count."""
    from clamour.core.tasks import run_ready_tasks

    return run_ready_tasks


@pytest.fixture
def campaigner(db, django_user_model):
    return django_user_model.objects.create_user(
        "campaigner", "campaigner@example.org", "a long test password 1", is_staff=True,
        is_superuser=True,
    )


@pytest.fixture
def moderator(db, django_user_model):
    """Staff who may moderate comments, nothing more."""
    from django.contrib.auth.models import Permission

    user = django_user_model.objects.create_user(
        "moderator", "moderator@example.org", "a long test password 2", is_staff=True)
    user.user_permissions.add(*Permission.objects.filter(codename__in=["moderate_comment"]))
    return user


@pytest.fixture
def campaigner_client(client, campaigner):
    from clamour.testing.auth import log_in_staff

    return log_in_staff(client, campaigner)


@pytest.fixture
def moderator_client(client, moderator):
    from clamour.testing.auth import log_in_staff

    return log_in_staff(client, moderator)


@pytest.fixture
def outsider(db, django_user_model):
    """Logged in, but not staff."""
    return django_user_model.objects.create_user("outsider", "outsider@example.org", "pw-outsider-1")


@pytest.fixture
def smtp_server():
    from clamour.core.speed.smtp import close_idle
    from clamour.testing.smtp import SMTPServer

    server = SMTPServer()
    server.start()
    yield server
    close_idle(older_than=0)  # the sessions any thread kept open to it
    server.stop()


@pytest.fixture
def smtp_settings(settings, smtp_server, monkeypatch):
    settings.EMAIL_BACKEND = "clamour.core.speed.smtp.KeepAliveEmailBackend"  # what smtp:// gives
    monkeypatch.setattr("clamour.core.speed.smtp.keep_sessions", True)  # as in the task worker
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = smtp_server.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 5
    settings.DELIVERY_RETRY_BASE_SECONDS = 0
    return smtp_server


from clamour.testing.browser import browser_page, task_worker  # noqa: E402,F401


@pytest.fixture(scope="session", autouse=True)
def _close_stray_connections(django_db_setup, django_db_blocker):
    """Browser tests query the database from inside Playwright's sync API, whose
    greenlets have a context of their own and so a Django connection of their own that
    nothing closes. On PostgreSQL those would stop the test database from being dropped."""
    yield
    from django.db import connection

    if connection.vendor == "postgresql":
        with django_db_blocker.unblock(), connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                " WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
        connection.close()


def pytest_configure(config):
    # The interface translations, compiled as `make install` does (a fresh clone has
    # only the .po files).
    from pathlib import Path

    from clamour.lib.catalogues import compile_catalogues

    compile_catalogues(Path(__file__).parent / "clamour" / "locale")
