"""The kept-open SMTP session, against a real SMTP server on 127.0.0.1."""

import smtplib
import socket
import threading
from pathlib import Path

import pytest
from django.core.mail import EmailMessage, get_connection

from clamour.core.speed import smtp
from clamour.lib.config import ConfigError, parse_email_url


def parked_session():
    """This thread's parked connection, if any."""
    parked = smtp._parked.get(threading.get_ident())
    return parked.connection if parked else None


def send(n: int, **backend_options) -> None:
    for i in range(n):
        EmailMessage(f"Letter {i}", "Body", "from@example.org", [f"to{i}@example.org"],
                     connection=get_connection(**backend_options)).send()


def test_messages_sent_one_by_one_share_a_session(smtp_settings):
    send(5)
    assert len(smtp_settings.messages) == 5
    assert smtp_settings.sessions == 1
    assert [m["Subject"] for m in smtp_settings.messages] == [f"Letter {i}" for i in range(5)]


def test_plain_django_backend_opens_a_session_per_message(smtp_settings, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    send(3)
    assert (len(smtp_settings.messages), smtp_settings.sessions) == (3, 3)


def test_outside_the_task_worker_a_session_ends_with_its_message(smtp_settings, monkeypatch):
    monkeypatch.setattr(smtp, "keep_sessions", False)
    send(3)
    assert (len(smtp_settings.messages), smtp_settings.sessions) == (3, 3)
    assert parked_session() is None


def test_a_session_carries_at_most_max_messages(smtp_settings):
    send(5, max_messages=2)
    assert (len(smtp_settings.messages), smtp_settings.sessions) == (5, 3)


def test_a_failed_send_is_not_retried_and_its_session_is_dropped(smtp_settings):
    send(1)
    smtp_settings.fail_next("550 No such person")
    with pytest.raises(smtplib.SMTPRecipientsRefused):
        send(1)
    send(1)
    assert len(smtp_settings.messages) == 2  # the refused one was not sent again
    assert smtp_settings.sessions == 2


def test_a_session_idle_too_long_is_replaced(smtp_settings, monkeypatch):
    monkeypatch.setattr(smtp, "MAX_IDLE", 0.0)
    send(3)
    assert (len(smtp_settings.messages), smtp_settings.sessions) == (3, 3)


def test_a_session_the_relay_closed_meanwhile_is_replaced_before_use(smtp_settings, monkeypatch):
    monkeypatch.setattr(smtp, "CHECK_AFTER", 0.0)
    send(1)
    parked_session().sock.shutdown(socket.SHUT_RDWR)  # as if the relay had hung up
    send(1)
    assert (len(smtp_settings.messages), smtp_settings.sessions) == (2, 2)


def test_sessions_left_idle_are_ended(smtp_settings):
    smtp.close_idle(older_than=0)  # any other thread's, from earlier tests
    send(1)
    assert parked_session() is not None
    assert smtp.close_idle(older_than=60) == 0 and parked_session() is not None
    assert smtp.close_idle(older_than=0) == 1 and parked_session() is None
    send(1)
    assert smtp_settings.sessions == 2
    assert len(smtp_settings.messages) == 2


def test_email_url_chooses_the_backend():
    var = Path("/tmp")
    assert parse_email_url("smtp://relay.example.org", var).backend == \
        "clamour.core.speed.smtp.KeepAliveEmailBackend"
    config = parse_email_url("smtps://relay.example.org?keepalive=20", var)
    assert (config.backend, config.keepalive) == ("clamour.core.speed.smtp.KeepAliveEmailBackend", 20)
    assert parse_email_url("smtp://relay.example.org?keepalive=0", var).backend == \
        "django.core.mail.backends.smtp.EmailBackend"
    for bad in ("smtp://relay.example.org?keepalive=lots", "smtp://relay.example.org?keepalive=-1"):
        with pytest.raises(ConfigError, match="keepalive must be a whole number"):
            parse_email_url(bad, var)
