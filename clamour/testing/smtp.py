"""A real SMTP server on 127.0.0.1 for tests, with failures on demand."""

import asyncio
import email
import email.policy
import socket
import threading

from aiosmtpd.controller import Controller


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class _Handler:
    def __init__(self, server):
        self.server = server

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        session.host_name = hostname
        with self.server.lock:
            self.server.sessions += 1  # smtplib says EHLO once per connection
        return responses

    async def handle_MAIL(self, server, session, envelope, address, mail_options):
        with self.server.lock:
            self.server.in_flight += 1
            self.server.most_at_once = max(self.server.most_at_once, self.server.in_flight)
        await asyncio.sleep(self.server.reply_delay)
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 OK"

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        await asyncio.sleep(self.server.reply_delay)
        failure = self.server.next_failure()
        if failure:
            with self.server.lock:
                self.server.in_flight -= 1  # the client gives this message up
            return failure
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        await asyncio.sleep(self.server.reply_delay)
        with self.server.lock:
            self.server.in_flight -= 1
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self.server.lock:
            self.server.messages.append(message)
            self.server.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        return "250 Message accepted for delivery"


class SMTPServer:
    """aiosmtpd on a free port. `fail_next(reply, times)` makes the next RCPTs fail.
    `reply_delay` (seconds) holds back the replies to MAIL, RCPT and the end of DATA,
    as a relay across a network would answer (the benchmarks; the tests use none)."""

    def __init__(self, reply_delay: float = 0.0):
        self.reply_delay = reply_delay
        self.messages = []
        self.envelopes = []
        self.sessions = 0
        self.in_flight = self.most_at_once = 0  # messages between MAIL and the end of DATA
        self.lock = threading.Lock()
        self._failures = []
        self.controller = Controller(_Handler(self), hostname="127.0.0.1", port=_free_port())

    def start(self):
        self.controller.start()

    def stop(self):
        self.controller.stop()

    @property
    def port(self):
        return self.controller.port

    def fail_next(self, reply: str, times: int = 1):
        with self.lock:
            self._failures.extend([reply] * times)

    def next_failure(self):
        with self.lock:
            return self._failures.pop(0) if self._failures else None

    def to(self, address):
        """Messages whose envelope went to `address`."""
        with self.lock:
            return [m for m, (_frm, rcpts) in zip(self.messages, self.envelopes) if address in rcpts]
