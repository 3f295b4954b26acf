"""SMTP that keeps its connection open from one message to the next.

Django's SMTP backend opens a connection for every message sent on its own (TCP, the
greeting, EHLO, STARTTLS with its handshake, AUTH: several round trips to the relay)
and closes it afterwards. The task worker sends a spike's backlog of letters and
confirmations one after another, so with a relay across a network much of its time
would go on connecting (even on loopback, where connecting is cheapest, keeping the
session sends more a second: bench/RESULTS.md, "Letter delivery after a spike"). This
backend instead parks the connection, per thread, when a send is done, and the next
send in that thread takes it up again: a run of messages shares one
session, as a mailing-list manager does. It does so in the task worker
(`keep_sessions`); in any other process it ends each session as Django's backend does.

A parked connection is closed, and a fresh one opened, once it has carried
`max_messages` messages (relays limit messages per session), when it has been idle for
more than MAX_IDLE seconds (relays close idle sessions, most after a minute or more),
and whenever a send on it failed; one idle for a moment is asked for a NOOP first.
Nothing is sent twice here: a failure reaches the caller as with Django's backend, and
the task's own retry decides what happens next.

`make bench-machinery` measures it against Django's backend with a session per chunk
(BENCH_SWITCH_OFF=smtp-sessions).
"""

import smtplib
import threading
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.mail.backends import smtp

# Seconds a parked connection may stay unused and still be taken up again; one unused
# for more than CHECK_AFTER seconds is first asked for a NOOP, and replaced if the
# relay has hung up meanwhile, so a closed session costs a reconnection, not a letter.
MAX_IDLE = 15.0
CHECK_AFTER = 1.0

# Sessions are kept only in a process that sends mail in runs: the task worker turns
# this on. Elsewhere (a web process sending an odd email) a session ends with its
# message, as with Django's backend, and no idle connection is left behind.
keep_sessions = False

_parked: dict[int, "_Parked"] = {}  # thread → the session it parked; none is in use
_parked_lock = threading.Lock()


@dataclass
class _Parked:
    connection: smtplib.SMTP
    key: tuple
    sent: int
    since: float


class KeepAliveEmailBackend(smtp.EmailBackend):
    def __init__(self, *args, max_messages=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.max_messages = max_messages or settings.EMAIL_KEEPALIVE_MESSAGES
        self.sent_on_connection = 0
        self._broken = False

    def _key(self) -> tuple:
        return (self.host, self.port, self.username, self.use_tls, self.use_ssl)

    def open(self):
        if self.connection is None:
            parked = _take()
            if parked is not None:
                idle = time.monotonic() - parked.since
                if parked.key == self._key() and idle < MAX_IDLE and (
                        idle < CHECK_AFTER or _answers(parked.connection)):
                    self.connection = parked.connection
                    self.sent_on_connection = parked.sent
                    self._broken = False
                    return True  # new to this backend: send_messages() will close(), i.e. park it
                _quit(parked.connection)
            self.sent_on_connection = 0
            self._broken = False
        return super().open()

    def _send(self, email_message):
        try:
            sent = super()._send(email_message)
        except Exception:
            self._broken = True
            raise
        if sent:
            self.sent_on_connection += 1
        elif email_message.recipients():  # failed silently
            self._broken = True
        return sent

    def close(self):
        connection = self.connection
        if (keep_sessions and connection is not None and not self._broken
                and self._partial_connection is None
                and self.sent_on_connection < self.max_messages):
            self.connection = None
            _park(_Parked(connection, self._key(), self.sent_on_connection, time.monotonic()))
            return
        super().close()


def _take():
    with _parked_lock:
        return _parked.pop(threading.get_ident(), None)


def _park(parked: _Parked) -> None:
    with _parked_lock:
        previous = _parked.pop(threading.get_ident(), None)
        _parked[threading.get_ident()] = parked
    if previous is not None:
        _quit(previous.connection)


def close_idle(older_than: float = MAX_IDLE) -> int:
    """End the parked sessions of any thread that have not been used for `older_than`
    seconds (the worker's maintenance, so an idle worker leaves no session open).
    Returns how many were ended."""
    cutoff = time.monotonic() - older_than
    with _parked_lock:
        idle = [ident for ident, parked in _parked.items() if parked.since <= cutoff]
        ended = [_parked.pop(ident) for ident in idle]
    for parked in ended:
        _quit(parked.connection)
    return len(ended)


def _answers(connection) -> bool:
    try:
        return connection.noop()[0] == 250
    except (OSError, smtplib.SMTPException):
        return False


def _quit(connection) -> None:
    try:
        connection.quit()
    except (OSError, smtplib.SMTPException):
        connection.close()
