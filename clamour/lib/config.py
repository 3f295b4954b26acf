"""Typed helpers that read settings from environment variables.

Each helper rejects a bad value with a message that names the variable, so a typo in
a deployment fails at start-up instead of half-working. No Django imports here.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit


class ConfigError(ValueError):
    """A setting read from the environment has a value we cannot use."""


_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str = "", environ=os.environ) -> str:
    return environ.get(name, default).strip()


def env_bool(name: str, default: bool = False, environ=os.environ) -> bool:
    raw = environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ConfigError(f"{name} must be true or false (got {raw!r})")


def env_int(name: str, default: int, *, minimum: int | None = None, environ=os.environ) -> int:
    raw = environ.get(name)
    if raw is None or not raw.strip():
        return default
    try:
        value = int(raw.strip())
    except ValueError:
        raise ConfigError(f"{name} must be a whole number (got {raw!r})") from None
    if minimum is not None and value < minimum:
        raise ConfigError(f"{name} must be at least {minimum} (got {value})")
    return value


def env_float(name: str, default: float, *, minimum: float | None = None,
              environ=os.environ) -> float:
    raw = environ.get(name)
    if raw is None or not raw.strip():
        return default
    try:
        value = float(raw.strip())
    except ValueError:
        raise ConfigError(f"{name} must be a number (got {raw!r})") from None
    if minimum is not None and value < minimum:
        raise ConfigError(f"{name} must be at least {minimum} (got {value})")
    return value


def env_list(name: str, default: list[str] | None = None, environ=os.environ) -> list[str]:
    raw = environ.get(name)
    if raw is None:
        return list(default or [])
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_rate(name: str, default: str, environ=os.environ) -> tuple[int, int]:
    """A rate limit written "count/seconds": "30/60" is at most 30 a minute; "0/60" is off."""
    raw = environ.get(name, default).strip()
    try:
        limit, window = (int(part) for part in raw.split("/"))
    except ValueError:
        raise ConfigError(f"{name} must look like 30/60, a count and seconds (got {raw!r})") from None
    if limit < 0 or window <= 0:
        raise ConfigError(f"{name} needs a count of at least 0 and seconds above 0 (got {raw!r})")
    return limit, window


def default_web_shape(database: str, cores: int) -> tuple[int, int]:
    """Web worker processes and threads per process for `make serve`, when
    WEB_WORKERS and WEB_THREADS are not set. Measured under a submission spike on two
    cores (bench/RESULTS.md): with SQLite ("sqlite"), one process more than there are
    cores, of 16 threads, since a process whose writer waits for SQLite's single write
    lock leaves its core to the others; with PostgreSQL, one per core of 32 threads, so
    each commit carries more submissions for its round trips to the database."""
    if database == "sqlite":
        return cores + 1, 16
    return cores, 32


def secret_key(environ=os.environ, keep_in: Path | None = None) -> str:
    """SECRET_KEY from the environment, or one generated once and kept in a file.

    A generated key survives restarts (sessions and signed links keep working) and is
    never the same on two installations.
    """
    value = env_str("SECRET_KEY", environ=environ)
    if value:
        if len(value) < 32:
            raise ConfigError("SECRET_KEY must be at least 32 characters long")
        return value
    if keep_in is None:
        raise ConfigError("SECRET_KEY is not set and there is nowhere to keep a generated one")
    if keep_in.exists():
        kept = keep_in.read_text().strip()
        if kept:
            return kept
    keep_in.parent.mkdir(parents=True, exist_ok=True)
    # Several processes may start at once (granian's workers): the first to put its key
    # in place wins and the others use it, so that every process signs alike.
    draft = keep_in.with_name(f".{keep_in.name}.{os.getpid()}")
    fd = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(secrets.token_urlsafe(50) + "\n")
    try:
        os.link(draft, keep_in)  # only if there is no key file yet
    except FileExistsError:
        if not keep_in.read_text().strip():  # an empty one, left by a crash
            os.replace(draft, keep_in)
    finally:
        draft.unlink(missing_ok=True)
    return keep_in.read_text().strip()


@dataclass
class EmailConfig:
    """What Django needs to send mail, parsed from one EMAIL_URL."""

    backend: str
    host: str = "localhost"
    port: int = 25
    user: str = ""
    password: str = ""
    use_tls: bool = False
    use_ssl: bool = False
    timeout: int = 20
    keepalive: int = 100  # SMTP: messages per kept-open session; 0 = a session per message
    file_path: str = ""


_BACKENDS = {
    "smtp": "clamour.core.speed.smtp.KeepAliveEmailBackend",
    "smtps": "clamour.core.speed.smtp.KeepAliveEmailBackend",
    "file": "django.core.mail.backends.filebased.EmailBackend",
    "console": "django.core.mail.backends.console.EmailBackend",
    "memory": "django.core.mail.backends.locmem.EmailBackend",
}


def parse_email_url(url: str, default_file_path: Path) -> EmailConfig:
    """Parse EMAIL_URL.

    smtp://user:pass@host:587?tls=1   SMTP, STARTTLS when tls=1; the session is kept
                                      open for up to `keepalive` messages (100;
                                      keepalive=0: one session per message)
    smtps://user:pass@host:465        SMTP over TLS
    file:///path/to/dir  or  file:     one file per message (default: var/mail/)
    console:                           print messages
    memory:                            keep messages in memory (tests)
    """
    url = url.strip()
    if not url:
        return EmailConfig(backend=_BACKENDS["file"], file_path=str(default_file_path))
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in _BACKENDS:
        raise ConfigError(
            f"EMAIL_URL scheme must be one of {', '.join(sorted(_BACKENDS))} (got {url!r})"
        )
    config = EmailConfig(backend=_BACKENDS[scheme])
    if scheme == "file":
        config.file_path = unquote(parts.path) or str(default_file_path)
        return config
    if scheme in ("console", "memory"):
        return config
    if not parts.hostname:
        raise ConfigError(f"EMAIL_URL needs a host name (got {url!r})")
    try:
        port = parts.port
    except ValueError:
        raise ConfigError(f"EMAIL_URL has a bad port (got {url!r})") from None
    query = parse_qs(parts.query)
    config.host = parts.hostname
    config.port = port or (465 if scheme == "smtps" else 25)
    config.user = unquote(parts.username or "")
    config.password = unquote(parts.password or "")
    config.use_ssl = scheme == "smtps"
    config.use_tls = query.get("tls", ["0"])[0].lower() in _TRUE
    for name in ("timeout", "keepalive"):
        if name in query:
            try:
                value = int(query[name][0])
            except ValueError:
                value = -1
            if value < 0:
                raise ConfigError(f"EMAIL_URL {name} must be a whole number (got {url!r})")
            setattr(config, name, value)
    if config.keepalive == 0:
        config.backend = "django.core.mail.backends.smtp.EmailBackend"
    return config


# What BENCH_SWITCH_OFF may name: each a piece of clamour/core/speed that `make
# bench-machinery` turns off, in favour of Django's plain way, to measure what it buys.
MACHINERY = {
    "sqlite-lock": "the SQLite writers' file lock (Django's SQLite backend instead)",
    "copy": "COPY on PostgreSQL (the multi-row INSERT instead)",
    "smtp-sessions": "kept-open SMTP sessions (Django's backend, a session per chunk)",
}


def switched_off(name: str = "BENCH_SWITCH_OFF", environ=os.environ) -> set[str]:
    """The machinery a benchmark run turns off: a comma-separated list of MACHINERY's
    names (empty: everything on, as in production)."""
    names = set(env_list(name, [], environ))
    unknown = names - MACHINERY.keys()
    if unknown:
        raise ConfigError(f"{name} names unknown machinery {sorted(unknown)}: "
                          f"the choices are {', '.join(sorted(MACHINERY))}")
    return names
