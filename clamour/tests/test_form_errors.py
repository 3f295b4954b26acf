"""What every form a supporter fills in says when something is wrong: plain words for
the task, an error summary at the top linking to each field, and field descriptions
(aria-describedby) that point at elements that exist."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from clamour.actions.models import Action
from clamour.comments.models import Comment
from clamour.comments.posting import post_comment
from clamour.testing.blog import make_post
from clamour.testing.comments import comment_data, log_in_supporter, make_supporter, post_url
from clamour.testing.factories import add_target, letter_post, make_campaign
from clamour.testing.treaties import make_treaty

pytestmark = pytest.mark.django_db

DJANGO_DEFAULTS = ["This field is required", "Ensure this value", "Enter a valid",
                   "Select a valid choice"]


def ids_in(html):
    return set(re.findall(r'\bid="([^"]+)"', html))


def check_errors_page(html, *expected):
    """The page's messages are the plain ones, listed in a summary whose links and
    whose fields' descriptions all lead somewhere."""
    for default in DJANGO_DEFAULTS:
        assert default not in html, default
    for message in expected:
        assert message in html, message
    summary = re.search(r'<div class="error-summary"[^>]*data-error-summary.*?</div>', html, re.DOTALL)
    assert summary, "no error summary"
    assert 'tabindex="-1"' in summary.group(0) and "clamour/errors.js" in html
    ids = ids_in(html)
    links = re.findall(r'href="#([^"]+)"', summary.group(0))
    assert links and all(link in ids for link in links), links
    described = [i for value in re.findall(r'aria-describedby="([^"]+)"', html)
                 for i in value.split()]
    assert described, "no field is described"
    missing = [i for i in described if i not in ids]
    assert not missing, f"aria-describedby points at missing ids {missing}"
    for field_id in re.findall(r'<[^>]*aria-invalid="true"[^>]*\bid="([^"]+)"', html):
        assert f"{field_id}_error" in described


def test_action_form(client):
    campaign = make_campaign()
    add_target(campaign)
    url = reverse("actions:submit", args=[campaign.slug])
    response = client.post(url, letter_post(campaign, name="", email="not an address",
                                            country="XX", subject="x" * 300, body=""))
    assert response.status_code == 400
    check_errors_page(
        response.content.decode(),
        "Please tell us your name.",
        "Please check your email address: it should look like name@example.org.",
        "Please choose one of the options in the list.",
        "Please shorten this to 200 characters or fewer (it now has 300).",
        "Please write your letter.",
    )
    response = client.post(url, letter_post(campaign, email="", country=""))
    check_errors_page(response.content.decode(), "Please give your email address.",
                      "Please choose your country.")


def test_petition_form(client):
    campaign = make_campaign("petition", kind=Action.Kind.PETITION)
    response = client.post(reverse("actions:submit", args=[campaign.slug]),
                           {"name": "Sam", "email": "sam@example.net", "country": "FR",
                            "comment": "y" * 1001})
    assert response.status_code == 400
    check_errors_page(response.content.decode(),
                      "Please shorten this to 1000 characters or fewer (it now has 1001).")


def test_comment_form(client, settings):
    post = make_post("news")
    response = client.post(post_url(post), comment_data("", guest=True, name="", email=""))
    assert response.status_code == 400
    check_errors_page(response.content.decode(), "Please write a comment.",
                      "Please tell us your name.",
                      "Please give your email address, so we can send you a link to confirm it.")
    settings.COMMENTS_MAX_LENGTH = 50
    response = client.post(post_url(post), comment_data("z" * 60, guest=True))
    check_errors_page(response.content.decode(),
                      "Please shorten this to 50 characters or fewer (it now has 60).")


def test_report_form(client):
    comment = post_comment(make_post("news"), supporter=make_supporter(), name="Sam",
                           body="A remark.")
    Comment.objects.filter(pk=comment.pk).update(status=Comment.Status.PUBLISHED,
                                                 published_at=timezone.now())
    response = client.post(reverse("comments:flag", args=[comment.pk]), {"note": ""})
    html = response.content.decode()
    assert "Please choose what is wrong with the comment." in html
    assert "This field is required" not in html and 'href="#id_reason"' in html
    assert 'id="id_reason"' in html


def test_log_in_form(client):
    response = client.post(reverse("supporters:login"), {"email": ""})
    assert response.status_code == 400
    check_errors_page(response.content.decode(),
                      "Please give the email address you took action with.")
    response = client.post(reverse("supporters:login"), {"email": "sam@"})
    check_errors_page(response.content.decode(),
                      "Please check your email address: it should look like name@example.org.")


def test_erase_form(client):
    log_in_supporter(client, make_supporter())
    response = client.post(reverse("supporters:erase"), {})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Please tick the box to confirm that you want your data erased." in html
    check_errors_page(html)


def test_treaty_alerts_form(client):
    treaty = make_treaty()
    response = client.post(reverse("treaties:subscribe", args=[treaty.slug]), {"email": ""})
    assert response.status_code == 400
    check_errors_page(response.content.decode(), "Please give your email address.",
                      "Please tick the box, so that we may email you.")
