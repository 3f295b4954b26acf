"""One helper each, used by every app: signed links (`clamour.core.signedlinks`), the
confirm-by-button page and the invalid-link page (`clamour.core.confirm`), rate limits
and their 429s (`clamour.core.ratelimit`), and email addresses (`clamour.core.fields`)."""

import ast
import json
import re
import time
from pathlib import Path

import pytest
from django.core import signing
from django.urls import reverse

import clamour
from clamour.actions import delivery
from clamour.actions.models import Submission
from clamour.comments import forms as comment_forms
from clamour.comments import notifications, posting
from clamour.comments.models import Comment
from clamour.core import ratelimit
from clamour.core.fields import EmailAddressField
from clamour.core.signedlinks import PURPOSES, LinkExpired, SignedLink
from clamour.lib.ratelimit import Limit
from clamour.supporters import mail as supporter_mail
from clamour.supporters.models import EmailOptOut
from clamour.testing.blog import make_post
from clamour.testing.comments import comment_data, post_url
from clamour.testing.factories import add_target, letter_post, make_campaign
from clamour.testing.treaties import make_treaty
from clamour.treaties import mail as treaty_mail
from clamour.treaties.models import Subscription

pytestmark = pytest.mark.django_db

SOURCE = Path(clamour.__file__).parent
EVERY_PURPOSE = {
    "clamour.actions.confirm", "clamour.actions.thanks", "clamour.comments.confirm",
    "clamour.comments.received", "clamour.comments.started", "clamour.treaties.subscribe",
    "clamour.supporters.unsubscribe",
}


@pytest.fixture
def links(client):
    """Each app's link from an email, for one thing waiting to be confirmed: the URL
    name, the purpose, the value the token carries, the app's own token for it, and
    whether it is still waiting."""
    campaign = make_campaign()
    add_target(campaign)
    client.post(reverse("actions:submit", args=[campaign.slug]), letter_post(campaign))
    submission = Submission.objects.get()
    supporter = submission.supporter
    comment = posting.post_comment(make_post("news"), supporter=supporter, name="Sam",
                                   body="A fair point about the treaty.", confirmed=False)
    treaty = make_treaty()
    client.post(reverse("treaties:subscribe", args=[treaty.slug]),
                {"email": supporter.email, "consent": "on"})
    subscription = Subscription.objects.get()
    return {
        "actions": ("actions:confirm", "clamour.actions.confirm", submission.pk,
                    delivery.confirmation_token(submission),
                    lambda: Submission.objects.get().status == "pending"),
        "comments": ("comments:confirm", "clamour.comments.confirm", comment.pk,
                     notifications.confirmation_token(comment),
                     lambda: Comment.objects.get(pk=comment.pk).status == "unconfirmed"),
        "treaties": ("treaties:confirm_subscription", "clamour.treaties.subscribe",
                     subscription.pk, treaty_mail.subscription_token(subscription),
                     lambda: Subscription.objects.get().status == "pending"),
        "supporters": ("supporters:unsubscribe", "clamour.supporters.unsubscribe",
                       {"s": supporter.pk, "t": EmailOptOut.ALL},
                       supporter_mail.unsubscribe_token(supporter),
                       lambda: not EmailOptOut.objects.exists()),
    }


APPS = ["actions", "comments", "treaties", "supporters"]


def first_template(response) -> str:
    """The page's own template (the ones it extends and includes come after)."""
    return response.templates[0].name


def test_every_purpose_is_declared_once():
    assert EVERY_PURPOSE <= set(PURPOSES)
    with pytest.raises(ValueError, match="declared twice"):
        SignedLink("clamour.actions.confirm", max_age=60)


@pytest.mark.parametrize("app", APPS)
def test_each_apps_link_is_made_by_the_shared_helper_and_opens_the_shared_page(client, links, app):
    url_name, purpose, value, token, waiting = links[app]
    assert PURPOSES[purpose].read(token) == value
    response = client.get(reverse(url_name, args=[token]))
    assert response.status_code == 200
    assert "core/confirm.html" in [t.name for t in response.templates]
    assert waiting()  # opening the link does nothing by itself
    assert client.post(reverse(url_name, args=[token])).status_code in (200, 302)
    assert not waiting()


@pytest.mark.parametrize("app", APPS)
def test_a_token_made_for_another_purpose_is_refused_by_every_app(client, links, app):
    url_name, purpose, value, _token, waiting = links[app]
    for other in sorted(set(PURPOSES) - {purpose}):
        forged = signing.dumps(value, salt=other, compress=True)
        for response in (client.get(reverse(url_name, args=[forged])),
                         client.post(reverse(url_name, args=[forged]))):
            assert response.status_code == 400, other
            assert first_template(response) == "core/link_invalid.html"
            assert "This link does not work" in response.content.decode()
    assert waiting()


@pytest.mark.parametrize("app", APPS)
def test_a_tampered_link_gets_the_shared_invalid_page_in_every_app(client, links, app):
    url_name, _purpose, _value, token, waiting = links[app]
    for bad in (token[:-3] + ("AAA" if not token.endswith("AAA") else "BBB"), "nonsense"):
        response = client.post(reverse(url_name, args=[bad]))
        assert response.status_code == 400
        assert first_template(response) == "core/link_invalid.html"
    assert waiting()


def made_days_ago(days, monkeypatch, make):
    real = time.time
    with monkeypatch.context() as patch:
        patch.setattr(signing.time, "time", lambda: real() - days * 86400)
        return make()


@pytest.mark.parametrize("app", ["actions", "comments", "treaties"])
def test_confirmation_links_expire_in_every_app(client, links, app, monkeypatch, settings):
    url_name, purpose, value, _token, waiting = links[app]
    settings.CONFIRMATION_MAX_AGE_DAYS = 14
    old = made_days_ago(15, monkeypatch, lambda: PURPOSES[purpose].make(value))
    with pytest.raises(LinkExpired):
        PURPOSES[purpose].read(old)
    response = client.post(reverse(url_name, args=[old]))
    assert response.status_code == 400
    assert first_template(response) == "core/link_invalid.html"
    assert "The link has expired." in response.content.decode()
    assert waiting()
    fresh_enough = made_days_ago(13, monkeypatch, lambda: PURPOSES[purpose].make(value))
    assert client.get(reverse(url_name, args=[fresh_enough])).status_code == 200


def test_an_unsubscribe_link_from_an_old_email_still_works(client, links, monkeypatch):
    url_name, purpose, value, _token, waiting = links["supporters"]
    old = made_days_ago(3650, monkeypatch, lambda: PURPOSES[purpose].make(value))
    assert client.post(reverse(url_name, args=[old])).status_code == 200
    assert not waiting()


def test_links_already_sent_keep_working(client, links):
    """Tokens made as the apps made them before the shared helper still read."""
    for app in APPS:
        url_name, purpose, value, _token, _waiting = links[app]
        for compress in (True, False):
            earlier = signing.dumps(value, salt=purpose, compress=compress)
            assert client.get(reverse(url_name, args=[earlier])).status_code == 200, app


def test_a_spent_log_in_link_gets_the_shared_invalid_page(client):
    response = client.get(reverse("supporters:login_link", args=["not-a-real-token"]))
    assert response.status_code == 400
    assert first_template(response) == "core/link_invalid.html"


def test_the_comment_form_time_is_signed_for_its_own_purpose(client):
    """A genuine token of another purpose, carrying a plausible time, is refused."""
    post = make_post("news")
    data = comment_data(guest=True)
    data["comment-started"] = signing.dumps(int(time.time()) - 60, salt="clamour.comments.confirm")
    response = client.post(post_url(post), data)
    assert response.status_code == 400 and "too old" in response.content.decode()
    assert comment_forms.STARTED.read(comment_forms.started_token()) is not None


def python_files():
    for path in SOURCE.rglob("*.py"):
        parts = path.relative_to(SOURCE).parts
        if "tests" in parts or "testing" in parts or "migrations" in parts:
            continue
        yield path.relative_to(SOURCE).as_posix(), path.read_text()


def test_only_the_shared_helper_signs_links():
    signers = []
    for name, text in python_files():
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.ImportFrom):
                names = [f"{node.module}.{alias.name}" for alias in node.names] + [node.module]
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            else:
                continue
            if "django.core.signing" in names:
                signers.append(name)
    assert signers == ["core/signedlinks.py"]


def test_only_the_shared_helper_answers_429():
    answering = [name for name, text in python_files()
                 if re.search(r"status\s*=\s*429|\[\s*[\"']Retry-After[\"']\s*\]", text)]
    assert sorted(answering) == ["core/middleware.py", "core/ratelimit.py"]


# Rate limits: the 429's Retry-After is the real remaining wait.

MOMENT = 1_800_000_015.0  # 15 s into a minute (and into a ten-minute and an hour window)


@pytest.fixture
def clock(monkeypatch):
    now = [MOMENT]
    monkeypatch.setattr(ratelimit, "clock", lambda: now[0])
    return now


def test_action_429_says_the_remaining_wait_then_lets_the_person_in(client, settings, clock):
    settings.SUBMIT_RATE_PER_IP = (3, 60)
    campaign = make_campaign()
    add_target(campaign)
    url = reverse("actions:submit", args=[campaign.slug])

    def submit(i, **extra):
        return client.post(url, letter_post(campaign, email=f"p{i}@example.net"), **extra)

    assert [submit(i).status_code for i in range(3)] == [302] * 3
    refused = submit(3)
    wait = Limit(3, 60).retry_after(0, 3, MOMENT)
    assert refused.status_code == 429 and refused["Retry-After"] == str(wait)
    assert 60 - 15 < wait < 2 * 60  # not the whole window: three in the last minute
    assert "actions/too_many.html" in [t.name for t in refused.templates]
    as_json = submit(4, HTTP_ACCEPT="application/json")
    assert as_json.status_code == 429 and as_json["Content-Type"] == "application/json"
    assert json.loads(as_json.content)["retry_after"] == wait
    assert as_json["Retry-After"] == str(wait)
    clock[0] = MOMENT + wait - 2
    still = submit(5)
    assert still.status_code == 429 and 0 < int(still["Retry-After"]) <= 2
    clock[0] = MOMENT + wait
    assert submit(6).status_code == 302
    assert Submission.objects.count() == 4


def test_comment_429_says_the_remaining_wait(client, settings, clock):
    settings.COMMENTS_RATE_PER_IP = (2, 600)
    post = make_post("news")
    for i in range(2):
        data = comment_data(f"Point number {i} about the treaty.", guest=True,
                            email=f"g{i}@example.net")
        assert client.post(post_url(post), data).status_code == 302
    clock[0] = MOMENT + 100
    refused = client.post(post_url(post), comment_data("One more.", guest=True,
                                                       email="g9@example.net"))
    assert refused.status_code == 429
    wait = Limit(2, 600).retry_after(0, 2, MOMENT + 100)
    # The window ends in 485 s; then half of the next must pass for two to slide out.
    assert refused["Retry-After"] == str(wait) and 485 + 300 <= wait <= 485 + 300 + 1
    assert "a lot of comments" in refused.content.decode()


def test_log_in_429_says_the_remaining_wait(client, settings, clock):
    settings.LOGIN_RATE_PER_IP = (2, 3600)
    for i in range(2):
        assert client.post(reverse("supporters:login"), {"email": f"p{i}@example.net"}
                           ).status_code == 302
    refused = client.post(reverse("supporters:login"), {"email": "p9@example.net"})
    assert refused.status_code == 429
    wait = Limit(2, 3600).retry_after(0, 2, MOMENT)
    assert refused["Retry-After"] == str(wait) and 3585 + 1800 <= wait <= 3585 + 1800 + 1


# Email addresses: one spelling, whoever types them.

def test_every_form_takes_addresses_through_the_one_field():
    from django import forms as django_forms

    found = []
    for name, _text in python_files():
        if not name.endswith("forms.py"):
            continue
        module = __import__("clamour." + name[:-3].replace("/", "."), fromlist=["*"])
        for value in vars(module).values():
            if isinstance(value, type) and issubclass(value, django_forms.BaseForm):
                for field_name, field in getattr(value, "base_fields", {}).items():
                    if isinstance(field, django_forms.EmailField):
                        found.append((value.__name__, field_name, type(field)))
    assert found
    assert all(kind is EmailAddressField for _form, _field, kind in found), found
