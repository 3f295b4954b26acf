"""A name is something people can read: invisible and direction-changing characters are
taken out, and a name with nothing visible left is refused, on every form that asks."""

import pytest
from django.urls import reverse

from clamour.actions.models import Submission
from clamour.comments.models import Comment
from clamour.testing.blog import make_post
from clamour.testing.comments import comment_data, post_url
from clamour.testing.factories import add_target, letter_post, make_campaign

pytestmark = pytest.mark.django_db

INVISIBLE = [
    "\u200b\u200b\u200b",  # zero-width spaces
    "\u3164",  # Hangul filler: a "letter" that draws nothing
    "\u202e\u202c \u2800",  # an override, its end and a blank braille pattern
    "\u0301\u0301",  # lone combining marks
]


@pytest.mark.parametrize("name", INVISIBLE)
def test_action_form_wants_a_visible_name(client, name):
    campaign = make_campaign()
    add_target(campaign)
    response = client.post(reverse("actions:submit", args=[campaign.slug]),
                           letter_post(campaign, name=name))
    assert response.status_code == 400
    assert "Please tell us your name." in response.content.decode()
    assert not Submission.objects.exists()


@pytest.mark.parametrize("name", INVISIBLE)
def test_comment_form_wants_a_visible_name(client, name):
    post = make_post("news")
    response = client.post(post_url(post), comment_data(guest=True, name=name))
    assert response.status_code == 400
    assert not Comment.objects.exists()


def test_a_direction_override_is_taken_out_of_the_letter_sender(client, run_tasks,
                                                                smtp_settings):
    campaign = make_campaign(require_confirmation=False)
    add_target(campaign)
    response = client.post(reverse("actions:submit", args=[campaign.slug]),
                           letter_post(campaign, name="\u202eevil\u202c\u200b Mallory"))
    assert response.status_code == 302
    assert Submission.objects.get().name == "evil Mallory"
    run_tasks()
    [letter] = smtp_settings.messages
    assert letter["From"].addresses[0].display_name == "evil Mallory (via Clamour)"
    assert "\u202e" not in letter.as_string() and "\u200b" not in letter.get_content()
