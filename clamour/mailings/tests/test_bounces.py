"""`manage.py record_bounces`: hard bounces (RFC 3464) and complaints (ARF) mark the
address, and no later mailing goes to it."""

import io

import pytest
from django.core.management import CommandError, call_command

from clamour.mailings import sending
from clamour.mailings.models import BouncedAddress, Recipient
from clamour.testing.mailings import make_mailing, petition, received, take

pytestmark = pytest.mark.django_db


def dsn(address, *, action="failed", status="5.1.1", message_id="<x@example.org>"):
    return f"""From: MAILER-DAEMON@mx.example.net
To: campaigns@example.org
Subject: Undelivered Mail Returned to Sender
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="b1"

--b1
Content-Type: text/plain

Your message could not be delivered.

--b1
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.example.net

Final-Recipient: rfc822; {address}
Action: {action}
Status: {status}
Diagnostic-Code: smtp; 550 5.1.1 User unknown

--b1
Content-Type: text/rfc822-headers

Message-ID: {message_id}
To: {address}
Subject: The new draft is out

--b1--
"""


def arf(address):
    return f"""From: feedback@isp.example.net
To: abuse@example.org
Subject: Complaint
MIME-Version: 1.0
Content-Type: multipart/report; report-type=feedback-report; boundary="b2"

--b2
Content-Type: text/plain

This is an abuse report.

--b2
Content-Type: message/feedback-report

Feedback-Type: abuse
User-Agent: ISP-FBL/1.0
Version: 1
Original-Rcpt-To: {address}

--b2
Content-Type: message/rfc822

From: campaigns@example.org
To: {address}
Subject: The new draft is out
Message-ID: <mailing-1-1@example.org>

Hello.

--b2--
"""


def record(tmp_path, *texts, name="reports.eml"):
    path = tmp_path / name
    path.write_text("".join(texts))
    out = io.StringIO()
    call_command("record_bounces", str(path), stdout=out)
    return out.getvalue()


@pytest.fixture
def sent_mailing(run_tasks, smtp_settings):
    action = petition("treaty")
    for name in ["alice", "bruno", "cleo"]:
        take(action, f"{name}@example.net")
    mailing = make_mailing(action)
    sending.schedule(mailing, None)
    run_tasks()
    return mailing


def test_a_hard_bounce_marks_the_address_and_its_copy(sent_mailing, tmp_path):
    copy = sent_mailing.recipients.get(supporter__email="alice@example.net")
    out = record(tmp_path, dsn("Alice@Example.net", message_id=copy.message_id))
    assert "bounce: Alice@Example.net" in out
    bounced = BouncedAddress.objects.get()
    assert bounced.email == "alice@example.net" and bounced.kind == "bounce"
    copy.refresh_from_db()
    assert copy.status == Recipient.Status.BOUNCED
    assert sent_mailing.counts()[Recipient.Status.BOUNCED] == 1


def test_a_complaint_marks_the_address(sent_mailing, tmp_path):
    record(tmp_path, arf("bruno@example.net"))
    assert BouncedAddress.objects.get().kind == "complaint"
    assert sent_mailing.recipients.get(supporter__email="bruno@example.net").status == \
        Recipient.Status.BOUNCED


def test_a_delay_or_a_full_mailbox_is_not_a_bounce(sent_mailing, tmp_path):
    out = record(tmp_path, dsn("alice@example.net", action="delayed", status="4.4.1"),
                 "\n", )
    record(tmp_path, dsn("bruno@example.net", status="4.2.2"), name="full.eml")
    record(tmp_path, "From: someone@example.net\nSubject: Hello\n\nJust a reply.\n",
           name="reply.eml")
    assert "0 address(es) recorded" in out
    assert not BouncedAddress.objects.exists()


def test_an_mbox_of_reports_is_read(sent_mailing, tmp_path):
    mbox = (f"From MAILER-DAEMON Mon Nov 30 10:00:00 2026\n{dsn('alice@example.net')}\n"
            f"From feedback Mon Nov 30 10:01:00 2026\n{arf('cleo@example.net')}\n")
    out = record(tmp_path, mbox, name="bounces.mbox")
    assert "2 message(s) read, 2 address(es) recorded" in out
    assert set(BouncedAddress.objects.values_list("email", flat=True)) == {
        "alice@example.net", "cleo@example.net"}


def test_bounced_addresses_are_left_out_of_every_later_mailing(sent_mailing, tmp_path,
                                                               run_tasks, smtp_settings):
    record(tmp_path, dsn("alice@example.net"), name="1.eml")
    record(tmp_path, arf("bruno@example.net"), name="2.eml")
    before = len(received(smtp_settings))
    later = make_mailing(sent_mailing.action, subject="Again")
    sending.schedule(later, None)
    run_tasks()
    assert received(smtp_settings)[before:] == ["cleo@example.net"]


def test_a_missing_file_is_a_clear_error(db, tmp_path):
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("record_bounces", str(tmp_path / "nothing.eml"))
