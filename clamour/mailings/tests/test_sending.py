"""Sending a mailing over a real SMTP server: the audience, exactly once, opt-outs at
sending time, the hourly cap, cancelling, temporary failures."""

from collections import Counter
from datetime import timedelta

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from clamour.mailings import sending
from clamour.mailings.models import BouncedAddress, Mailing, Recipient
from clamour.site.privacy import erase_supporter
from clamour.supporters.mail import opt_out
from clamour.supporters.models import Consent, EmailOptOut, Supporter
from clamour.testing.mailings import mailing_messages, make_mailing, petition, received, take

pytestmark = pytest.mark.django_db


@pytest.fixture
def actions():
    return petition("treaty"), petition("again")


def send_now(mailing, run_tasks, user=None):
    sending.schedule(mailing, user)
    run_tasks()
    mailing.refresh_from_db()
    return mailing


def test_a_segment_gets_exactly_its_people(actions, run_tasks, smtp_settings, campaigner):
    first, second = actions
    take(first, "alice@example.net", country="GB")
    take(first, "bruno@example.net", country="FR")
    take(first, "cleo@example.net", country="GB", confirm=False)
    take(first, "dev@example.net", country="GB", consent=False)
    take(first, "erin@example.net", country="GB")
    take(second, "erin@example.net", country="GB")
    take(second, "fay@example.net", country="GB")  # took only the second
    mailing = make_mailing(first, country="GB", confirmed=Mailing.Confirmed.YES,
                           not_action=second)
    assert set(mailing.audience().values_list("email", flat=True)) == {"alice@example.net"}

    send_now(mailing, run_tasks, campaigner)

    assert received(smtp_settings) == ["alice@example.net"]
    assert mailing.status == Mailing.Status.SENT


def test_the_whole_action_without_filters_and_withdrawn_consent(actions, run_tasks, smtp_settings):
    first, _second = actions
    for address in ["alice@example.net", "bruno@example.net", "cleo@example.net"]:
        take(first, address, country="FR", confirm=address != "cleo@example.net")
    take(first, "dev@example.net", consent=False)
    # Bruno said yes on the action, then no to the same question later.
    Consent.objects.create(supporter=Supporter.objects.get(email="bruno@example.net"),
                           wording="Email me?", given=False,
                           topic=first.campaign.email_topic(), source=f"action:{first.pk}")
    mailing = make_mailing(first)

    send_now(mailing, run_tasks)

    assert sorted(received(smtp_settings)) == ["alice@example.net", "cleo@example.net"]


def test_the_message_goes_through_the_supporter_choke_point(actions, run_tasks, smtp_settings):
    first, second = actions
    take(first, "alice@example.net")
    mailing = make_mailing(first, link_action=second)

    send_now(mailing, run_tasks)

    [message] = mailing_messages(smtp_settings)
    recipient = Recipient.objects.get()
    assert message["Message-ID"] == recipient.message_id == recipient.message_id_header()
    assert str(message["List-Unsubscribe"]).strip().startswith("<http")
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    body = message.get_content()
    assert "Dear Alice," in body
    assert f"/campaigns/again/?ref={mailing.code}" in body
    assert "Unsubscribe:" in body


def test_opted_out_erased_and_bounced_never_receive(actions, run_tasks, smtp_settings):
    first, _second = actions
    take(first, "alice@example.net")
    opt_out(take(first, "all@example.net"), EmailOptOut.ALL)
    opt_out(take(first, "topic@example.net"), "campaign:treaty")
    erase_supporter(take(first, "erased@example.net"))
    take(first, "bounced@example.net")
    sending.mark_bounced("Bounced@example.net", BouncedAddress.Kind.BOUNCE, "550 no such user")
    mailing = make_mailing(first)

    send_now(mailing, run_tasks)

    assert received(smtp_settings) == ["alice@example.net"]
    assert mailing.recipients.count() == 1


def test_who_opts_out_after_the_mailing_was_queued_does_not_get_it(actions, run_tasks,
                                                                  smtp_settings):
    first, _second = actions
    people = {name: take(first, f"{name}@example.net")
              for name in ["alice", "optout", "erased", "bounced", "complained"]}
    mailing = make_mailing(first)
    sending.schedule(mailing, None)
    sending.start_mailing.call(mailing.pk)  # the recipients are stored; nothing sent yet
    assert mailing.recipients.count() == 5
    opt_out(people["optout"], "campaign:treaty")
    erase_supporter(people["erased"])
    sending.mark_bounced("bounced@example.net", BouncedAddress.Kind.BOUNCE)
    sending.mark_bounced("complained@example.net", BouncedAddress.Kind.COMPLAINT)

    run_tasks()

    assert received(smtp_settings) == ["alice@example.net"]
    statuses = Counter(mailing.recipients.values_list("status", flat=True))
    assert statuses == {Recipient.Status.SENT: 1, Recipient.Status.SKIPPED: 4}


def test_a_batch_task_run_twice_sends_nothing_twice(actions, run_tasks, smtp_settings,
                                                   monkeypatch):
    monkeypatch.setattr(sending, "BATCH", 3)
    first, _second = actions
    for n in range(7):
        take(first, f"p{n}@example.net")
    mailing = make_mailing(first)
    sending.schedule(mailing, None)
    sending.start_mailing.call(mailing.pk)

    # The same task twice, by hand and by the worker, and once more afterwards.
    sending.send_batch.call(mailing.pk)
    sending.send_batch.call(mailing.pk)
    run_tasks()
    sending.send_batch.call(mailing.pk)
    run_tasks()

    assert sorted(received(smtp_settings)) == [f"p{n}@example.net" for n in range(7)]
    mailing.refresh_from_db()
    assert mailing.status == Mailing.Status.SENT


def test_a_copy_claimed_by_another_worker_is_not_sent_again(actions, smtp_settings):
    first, _second = actions
    take(first, "alice@example.net")
    mailing = make_mailing(first)
    sending.schedule(mailing, None)
    sending.start_mailing.call(mailing.pk)
    mailing.recipients.update(status=Recipient.Status.SENDING, claimed_at=timezone.now())

    assert sending.send_batch.call(mailing.pk) == "waiting"
    assert mailing_messages(smtp_settings) == []


def test_a_worker_that_died_mid_batch_is_recovered_with_the_same_message_id(
        actions, run_tasks, smtp_settings):
    first, _second = actions
    take(first, "alice@example.net")
    mailing = make_mailing(first)
    sending.schedule(mailing, None)
    sending.start_mailing.call(mailing.pk)
    # A worker claimed the copy and died: its claim is now stale.
    mailing.recipients.update(status=Recipient.Status.SENDING,
                              claimed_at=timezone.now() - sending.stale_claim() - timedelta(seconds=1))

    run_tasks()

    assert received(smtp_settings) == ["alice@example.net"]
    recipient = mailing.recipients.get()
    assert mailing_messages(smtp_settings)[0]["Message-ID"] == recipient.message_id_header()
    assert recipient.status == Recipient.Status.SENT


def test_the_hourly_cap_is_honoured(actions, run_tasks, smtp_settings):
    first, _second = actions
    for n in range(7):
        take(first, f"p{n}@example.net")
    mailing = make_mailing(first, hourly_cap=3)

    send_now(mailing, run_tasks)
    run_tasks()
    sending.send_batch.call(mailing.pk)  # even asked directly, within the hour

    assert len(received(smtp_settings)) == 3
    # The next batch waits for the hour to pass.
    waiting = DBTaskResult.objects.filter(status="READY").order_by("-run_after").first()
    assert waiting.run_after > timezone.now() + timedelta(minutes=59)

    # An hour on: three more, and no more than three.
    mailing.recipients.exclude(claimed_at=None).update(
        claimed_at=timezone.now() - timedelta(minutes=61))
    sending.send_batch.call(mailing.pk)
    sending.send_batch.call(mailing.pk)
    assert len(received(smtp_settings)) == 6
    assert len(set(received(smtp_settings))) == 6


def test_cancel_stops_what_was_not_claimed(actions, run_tasks, smtp_settings, monkeypatch):
    monkeypatch.setattr(sending, "BATCH", 2)
    first, _second = actions
    for n in range(6):
        take(first, f"p{n}@example.net")
    mailing = make_mailing(first)
    sending.schedule(mailing, None)
    sending.start_mailing.call(mailing.pk)
    sending.send_batch.call(mailing.pk)
    assert len(mailing_messages(smtp_settings)) == 2

    assert sending.cancel(mailing) == 4
    run_tasks()
    sending.send_batch.call(mailing.pk)

    assert len(mailing_messages(smtp_settings)) == 2
    assert mailing.status == Mailing.Status.CANCELLED
    assert mailing.counts()[Recipient.Status.CANCELLED] == 4


def test_a_refusing_server_pauses_the_mailing_and_each_goes_once(actions, run_tasks,
                                                                 smtp_settings, settings):
    settings.DELIVERY_RETRY_BASE_SECONDS = 60
    first, _second = actions
    take(first, "alice@example.net")
    take(first, "bruno@example.net")
    mailing = make_mailing(first)
    smtp_settings.fail_next("451 4.3.0 Try again later", times=2)

    send_now(mailing, run_tasks)

    assert mailing_messages(smtp_settings) == []
    assert mailing.paused_until is not None
    assert mailing.paused_until > timezone.now() + timedelta(seconds=50)
    assert mailing.recipients.filter(status=Recipient.Status.QUEUED).count() == 2
    assert sending.send_batch.call(mailing.pk) == "paused"
    # A minute on, the server accepts again.
    Mailing.objects.filter(pk=mailing.pk).update(paused_until=timezone.now())
    mailing.recipients.update(next_attempt_at=timezone.now())
    sending.send_batch.call(mailing.pk)
    run_tasks()
    assert sorted(received(smtp_settings)) == ["alice@example.net", "bruno@example.net"]
    mailing.refresh_from_db()
    assert mailing.status == Mailing.Status.SENT


def test_a_permanent_refusal_is_recorded_as_failed(actions, run_tasks, smtp_settings):
    first, _second = actions
    take(first, "alice@example.net")
    take(first, "bruno@example.net")
    mailing = make_mailing(first)
    smtp_settings.fail_next("550 5.1.1 No such user")

    send_now(mailing, run_tasks)

    counts = mailing.counts()
    assert counts[Recipient.Status.SENT] == 1 and counts[Recipient.Status.FAILED] == 1
    assert "550" in mailing.recipients.get(status=Recipient.Status.FAILED).detail
    assert mailing.status == Mailing.Status.SENT


def test_a_scheduled_mailing_waits_and_takes_its_audience_then(actions, run_tasks, smtp_settings):
    first, _second = actions
    take(first, "alice@example.net")
    mailing = make_mailing(first)
    sending.schedule(mailing, None, timezone.now() + timedelta(hours=2))
    run_tasks()
    assert mailing_messages(smtp_settings) == [] and mailing.recipients.count() == 0
    take(first, "bruno@example.net")  # signs up before the time comes

    sending.start_mailing.call(mailing.pk)
    run_tasks()

    assert sorted(received(smtp_settings)) == ["alice@example.net", "bruno@example.net"]


def test_building_the_recipients_twice_adds_nobody_twice(actions):
    first, _second = actions
    take(first, "alice@example.net")
    mailing = make_mailing(first)
    assert sending.build_recipients(mailing) == 1
    take(first, "bruno@example.net")
    assert sending.build_recipients(mailing) == 1
    assert mailing.recipients.count() == 2


def test_a_mailing_whose_tasks_stopped_is_resumed(actions, run_tasks, smtp_settings):
    first, _second = actions
    take(first, "alice@example.net")
    mailing = make_mailing(first)
    sending.schedule(mailing, None)
    assert sending.resume_stalled() == 0  # its start task is waiting
    sending.start_mailing.call(mailing.pk)
    assert sending.resume_stalled() == 0  # its first batch is waiting
    DBTaskResult.objects.all().delete()  # as if the batch task had failed

    assert sending.resume_stalled() == 1
    assert sending.resume_stalled() == 0
    run_tasks()

    assert received(smtp_settings) == ["alice@example.net"]
    mailing.refresh_from_db()
    assert mailing.status == Mailing.Status.SENT
    assert sending.resume_stalled() == 0
