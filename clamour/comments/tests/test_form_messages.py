"""What the comment and report forms say to a person: labels and error messages."""

import pytest
from django.urls import reverse
from django.utils import timezone

from clamour.actions.models import Action
from clamour.comments.models import Comment
from clamour.comments.posting import post_comment
from clamour.testing.blog import make_post
from clamour.testing.comments import comment_data, make_supporter, post_url
from clamour.testing.factories import make_campaign

pytestmark = pytest.mark.django_db


def test_an_empty_comment_sent_at_once_shows_the_field_errors_without_that_was_quick(client):
    post = make_post("news")
    response = client.post(post_url(post), comment_data("", guest=True, name="", email="",
                                                        seconds_ago=0))
    page = response.content.decode()
    assert response.status_code == 400
    assert "Please write a comment." in page
    assert "That was quick" not in page


def test_a_good_comment_sent_at_once_still_gets_that_was_quick(client):
    post = make_post("news")
    response = client.post(post_url(post), comment_data("A fine remark.", guest=True,
                                                        seconds_ago=0))
    assert response.status_code == 400 and "That was quick" in response.content.decode()


def test_optional_is_said_once(client):
    post = make_post("news")
    comment = post_comment(post, supporter=make_supporter(), name="Sam", body="A remark.")
    Comment.objects.filter(pk=comment.pk).update(status=Comment.Status.PUBLISHED,
                                                 published_at=timezone.now())
    page = client.get(reverse("comments:flag", args=[comment.pk])).content.decode()
    assert "Anything moderators should know" in page
    assert page.count("(optional)") == 1

    make_campaign("petition", kind=Action.Kind.PETITION)
    page = client.get("/campaigns/petition/").content.decode()
    assert "Why are you signing?" in page
    assert "(optional) <span" not in page and page.count("(optional)") == 1
