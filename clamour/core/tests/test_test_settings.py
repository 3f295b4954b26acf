"""The suite pins its own settings: what the caller exported does not leak in."""

import json
import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings

REPO = Path(__file__).resolve().parents[3]

HOSTILE = {
    "PORT": "9999",
    "SITE_URL": "https://hostile.example",
    "DEBUG": "true",
    "ALLOWED_HOSTS": "hostile.example",
    "CSRF_TRUSTED_ORIGINS": "https://hostile.example",
    "EMAIL_URL": "smtp://127.0.0.1:1",
    "SUBMIT_RATE_PER_IP": "1/60",
}

READ_SETTINGS = """
import json, django
from django.conf import settings
django.setup()
print(json.dumps({name: getattr(settings, name) for name in [
    "PORT", "SITE_URL", "DEBUG", "ALLOWED_HOSTS", "CSRF_TRUSTED_ORIGINS", "EMAIL_HOST",
    "EMAIL_PORT", "EMAIL_BACKEND", "SUBMIT_RATE_PER_IP", "SESSION_COOKIE_SECURE",
    "DATABASES"]}, default=str))
"""


def read_settings(module: str) -> dict:
    env = {**os.environ, **HOSTILE, "DJANGO_SETTINGS_MODULE": module}
    out = subprocess.run([sys.executable, "-c", READ_SETTINGS], cwd=REPO, env=env,
                         capture_output=True, text=True, timeout=60, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_hostile_environment_does_not_reach_the_test_settings():
    pinned = read_settings("clamour.testing.settings")
    assert pinned["PORT"] == 8000
    assert pinned["SITE_URL"] == "http://127.0.0.1:8000"
    assert pinned["DEBUG"] is False
    assert pinned["ALLOWED_HOSTS"] == ["127.0.0.1", "localhost", "[::1]"]
    assert pinned["CSRF_TRUSTED_ORIGINS"] == []
    assert pinned["EMAIL_BACKEND"] == "django.core.mail.backends.filebased.EmailBackend"
    assert pinned["SUBMIT_RATE_PER_IP"] == [30, 60]
    assert pinned["SESSION_COOKIE_SECURE"] is False
    # ...while the database stays the caller's choice.
    assert pinned["DATABASES"]["default"]["ENGINE"] == settings.DATABASES["default"]["ENGINE"]


def test_the_production_settings_do_read_the_environment():
    # The same values change the real settings, so the test above can tell.
    real = read_settings("clamour.settings")
    assert real["SITE_URL"] == "https://hostile.example"
    assert real["DEBUG"] is True
    assert real["EMAIL_PORT"] == 1


def test_the_suite_runs_on_its_own_settings_module():
    # pyproject's addopts pass --ds, which wins over an exported DJANGO_SETTINGS_MODULE.
    assert os.environ["DJANGO_SETTINGS_MODULE"] == "clamour.testing.settings"
    assert settings.SITE_URL == "http://127.0.0.1:8000" and not settings.DEBUG
