"""The mailing pages under /staff/mailings/, through HTTP: who may do what, writing,
previewing, test sends, sending, progress, per-recipient status and attribution."""

import pytest
from django.urls import reverse

from clamour.mailings import sending
from clamour.mailings.models import Mailing, Recipient
from clamour.testing.auth import log_in_staff
from clamour.testing.mailings import (
    campaigner_group_member,
    campaigners_group,
    mailing_messages,
    make_mailing,
    petition,
    received,
    take,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def actions():
    return petition("treaty"), petition("again")


@pytest.fixture
def drafter(django_user_model):
    """Staff, in no group: may write and test, not send."""
    return django_user_model.objects.create_user(
        "drafter", "drafter@example.org", "a long test password 8", is_staff=True)


def urls(mailing):
    return {
        "list": ("get", reverse("mailings:list")),
        "new": ("get", reverse("mailings:new")),
        "detail": ("get", reverse("mailings:detail", args=[mailing.pk])),
        "edit": ("get", reverse("mailings:edit", args=[mailing.pk])),
        "test": ("post", reverse("mailings:test", args=[mailing.pk])),
        "send": ("post", reverse("mailings:send", args=[mailing.pk])),
        "cancel": ("post", reverse("mailings:cancel", args=[mailing.pk])),
    }


def test_anonymous_visitors_are_sent_to_log_in(client, actions):
    for method, url in urls(make_mailing(actions[0])).values():
        response = getattr(client, method)(url)
        assert response.status_code == 302 and "login" in response["Location"], url


def test_people_without_staff_access_are_refused(client, outsider, actions):
    client.force_login(outsider)
    for method, url in urls(make_mailing(actions[0])).values():
        assert getattr(client, method)(url).status_code == 403, url


def test_staff_without_a_verified_second_factor_must_verify(client, drafter, actions):
    client.force_login(drafter)
    for method, url in urls(make_mailing(actions[0])).values():
        assert getattr(client, method)(url).status_code == 302, url


def test_any_staff_member_may_draft_but_only_campaigners_send_or_cancel(
        client, drafter, actions, smtp_settings):
    log_in_staff(client, drafter)
    mailing = make_mailing(actions[0])
    for name in ["list", "new", "detail", "edit"]:
        assert client.get(urls(mailing)[name][1]).status_code == 200, name
    page = client.get(reverse("mailings:detail", args=[mailing.pk])).content.decode()
    assert "Only campaigners may send" in page
    assert client.post(reverse("mailings:send", args=[mailing.pk])).status_code == 403
    assert client.post(reverse("mailings:cancel", args=[mailing.pk])).status_code == 403
    mailing.refresh_from_db()
    assert mailing.status == Mailing.Status.DRAFT


def test_a_draft_is_written_previewed_and_tested(client, drafter, actions, run_tasks,
                                                smtp_settings):
    first, second = actions
    take(first, "alice@example.net")
    take(first, "bruno@example.net")
    log_in_staff(client, drafter)
    response = client.post(reverse("mailings:new"), {
        "subject": "The new draft is out", "body": "Hello {name}, *write again*: {link}",
        "action": first.pk, "not_action": "", "link_action": second.pk, "country": "",
        "confirmed": "", "hourly_cap": ""})
    mailing = Mailing.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "mailings:detail", args=[mailing.pk])
    assert mailing.created_by == drafter

    page = client.get(response["Location"]).content.decode()
    assert "<em>write again</em>" in page  # the Markdown, rendered
    assert "<strong>2</strong> people right now" in page
    assert f"?ref={mailing.code}" in page

    response = client.post(reverse("mailings:test", args=[mailing.pk]))
    assert response.status_code == 302
    run_tasks()
    [test] = mailing_messages(smtp_settings)
    assert test["Subject"] == "[TEST] The new draft is out"
    assert smtp_settings.envelopes[-1][1] == ["drafter@example.org"]
    assert "Hello drafter" in test.get_content()
    assert received(smtp_settings) == ["drafter@example.org"]  # nobody else


def test_bad_input_is_a_form_error(client, drafter, actions):
    first, _second = actions
    log_in_staff(client, drafter)
    response = client.post(reverse("mailings:new"), {
        "subject": "", "body": "Hi", "action": first.pk, "not_action": first.pk,
        "hourly_cap": "0", "confirmed": ""})
    assert response.status_code == 400
    content = response.content.decode()
    assert "Choose a different action" in content
    assert "At least one message an hour" in content
    assert Mailing.objects.count() == 0


def test_a_campaigner_sends_and_sees_progress_and_each_recipient(
        client, django_user_model, actions, run_tasks, smtp_settings):
    first, second = actions
    for name in ["alice", "bruno", "cleo"]:
        take(first, f"{name}@example.net")
    take(second, "cleo@example.net")
    mailing = make_mailing(first, not_action=second, link_action=second)
    log_in_staff(client, campaigner_group_member(django_user_model))

    response = client.post(reverse("mailings:send", args=[mailing.pk]), {"when": ""})
    assert response.status_code == 302
    page = client.get(reverse("mailings:detail", args=[mailing.pk])).content.decode()
    assert 'http-equiv="refresh"' in page  # the page refreshes itself while it waits
    run_tasks()

    assert sorted(received(smtp_settings)) == ["alice@example.net", "bruno@example.net"]
    page = client.get(reverse("mailings:detail", args=[mailing.pk])).content.decode()
    assert '<progress id="mailing-progress" max="2" value="2">' in page
    assert 'id="count-sent">2<' in page
    assert "Alice &lt;alice@example.net&gt;" in page
    assert 'http-equiv="refresh"' not in page
    # Sending again is refused with a message, and nothing goes twice.
    client.post(reverse("mailings:send", args=[mailing.pk]), {"when": ""})
    run_tasks()
    assert len(received(smtp_settings)) == 2


def test_a_time_in_the_past_is_refused(client, django_user_model, actions):
    mailing = make_mailing(actions[0])
    log_in_staff(client, campaigner_group_member(django_user_model))
    response = client.post(reverse("mailings:send", args=[mailing.pk]),
                           {"when": "2001-01-01T10:00"})
    assert response.status_code == 400
    assert "That time has passed" in response.content.decode()
    mailing.refresh_from_db()
    assert mailing.status == Mailing.Status.DRAFT


def test_a_campaigner_cancels_a_scheduled_mailing(client, django_user_model, actions,
                                                 run_tasks, smtp_settings):
    take(actions[0], "alice@example.net")
    mailing = make_mailing(actions[0])
    log_in_staff(client, campaigner_group_member(django_user_model))
    client.post(reverse("mailings:send", args=[mailing.pk]), {"when": "2100-01-01T10:00"})
    assert client.post(reverse("mailings:cancel", args=[mailing.pk])).status_code == 302
    sending.start_mailing.call(mailing.pk)
    run_tasks()
    mailing.refresh_from_db()
    assert mailing.status == Mailing.Status.CANCELLED
    assert received(smtp_settings) == []


def test_who_took_the_linked_action_through_the_mailing_is_counted(
        client, django_user_model, actions, run_tasks, smtp_settings):
    first, second = actions
    take(first, "alice@example.net")
    take(first, "bruno@example.net")
    mailing = make_mailing(first, link_action=second)
    sending.schedule(mailing, None)
    run_tasks()
    [message] = [m for m in mailing_messages(smtp_settings) if "alice" in str(m["To"])]
    link = next(line for line in message.get_content().splitlines() if "?ref=" in line)
    link = link[link.index("/campaigns/"):].split()[0]

    # Alice follows the link: the page carries the code into the form she sends.
    page = client.get(link).content.decode()
    assert f'value="{mailing.code}"' in page
    response = client.post(reverse("actions:submit", args=["again"]), {
        "name": "Alice", "email": "alice@example.net", "country": "GB", "consent": "on",
        "ref": mailing.code})
    assert response.status_code == 302
    # Someone not emailed uses the same link: not counted.
    client.post(reverse("actions:submit", args=["again"]), {
        "name": "Zed", "email": "zed@example.net", "country": "GB", "consent": "on",
        "ref": mailing.code})

    assert mailing.took_linked_action() == 1
    log_in_staff(client, campaigner_group_member(django_user_model))
    page = client.get(reverse("mailings:detail", args=[mailing.pk])).content.decode()
    assert 'id="count-took-action">1<' in page


def test_list_and_detail_pages_take_a_fixed_number_of_queries(
        client, drafter, actions, django_assert_max_num_queries):
    first, _second = actions
    for n in range(20):
        take(first, f"p{n}@example.net")
    mailings = [make_mailing(first, subject=f"Mailing {n}") for n in range(5)]
    sending.schedule(mailings[0], None)
    sending.start_mailing.call(mailings[0].pk)
    log_in_staff(client, drafter)
    with django_assert_max_num_queries(8):
        assert client.get(reverse("mailings:list")).status_code == 200
    with django_assert_max_num_queries(12):
        page = client.get(reverse("mailings:detail", args=[mailings[0].pk]))
    assert page.content.decode().count("<tr>") == 21  # the header and 20 recipients
    with django_assert_max_num_queries(12):
        assert client.get(reverse("mailings:detail", args=[mailings[1].pk])).status_code == 200
    assert Recipient.objects.count() == 20


def test_the_campaigners_group_may_send_mailings(db):
    from django.contrib.auth.models import Group

    Group.objects.filter(name="Campaigners").delete()
    group = campaigners_group()
    assert list(group.permissions.values_list("content_type__app_label", "codename")) == [
        ("mailings", "send_mailing")]
    campaigners_group()  # running it again changes nothing
    assert Group.objects.filter(name="Campaigners").count() == 1
