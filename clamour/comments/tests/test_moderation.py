import pytest
from django.urls import reverse
from django.utils import timezone

from clamour.comments.models import Ban, BlockedTerm, Comment, Flag
from clamour.comments.posting import post_comment
from clamour.testing.auth import log_in_staff
from clamour.testing.blog import make_post
from clamour.testing.comments import make_supporter
from clamour.testing.factories import make_campaign

pytestmark = pytest.mark.django_db


@pytest.fixture
def post():
    return make_post("news")


@pytest.fixture
def waiting(post):
    """A first comment, so it waits for a moderator."""
    return post_comment(post, supporter=make_supporter(), name="Sam", body="My very first comment.")


def published(target, body, email="pub@example.net", **extra):
    comment = post_comment(
        target, supporter=make_supporter(email, "Pat"), name="Pat", body=body, **extra
    )
    Comment.objects.filter(pk=comment.pk).update(
        status=Comment.Status.PUBLISHED, published_at=timezone.now()
    )
    comment.refresh_from_db()
    from django.core.cache import cache

    cache.clear()
    return comment


def staff_pages(comment):
    return [
        reverse("comments:queue"),
        reverse("comments:moderate_comment", args=[comment.pk]),
        reverse("comments:person", args=[comment.supporter_id]),
        reverse("comments:blocklist"),
    ]


def staff_posts(comment):
    return [
        (reverse("comments:bulk"), {"action": "approve", "ids": [comment.pk]}),
        (reverse("comments:ban", args=[comment.supporter_id]), {"reason": ""}),
        (reverse("comments:unban", args=[comment.supporter_id]), {}),
        (reverse("comments:blocklist"), {"kind": "word", "value": "casino"}),
        (reverse("comments:blocklist_remove", args=[1]), {}),
    ]


def test_moderator_views_send_anonymous_people_to_log_in(client, waiting):
    for url in staff_pages(waiting):
        response = client.get(url)
        assert response.status_code == 302 and "/login/" in response.url, url
    for url, data in staff_posts(waiting):
        response = client.post(url, data)
        assert response.status_code == 302 and "/login/" in response.url, url
    assert Comment.objects.get().status == Comment.Status.PENDING


def test_moderator_views_refuse_outsiders_and_other_staff(
    client, waiting, outsider, django_user_model
):
    client.force_login(outsider)
    for url in staff_pages(waiting):
        assert client.get(url).status_code == 403, url
    other_staff = django_user_model.objects.create_user(
        "writer", "w@example.org", "pw-writer-12345", is_staff=True
    )
    log_in_staff(client, other_staff)
    for url in staff_pages(waiting):
        assert client.get(url).status_code == 403, url
    for url, data in staff_posts(waiting):
        assert client.post(url, data).status_code == 403, url
    assert Comment.objects.get().status == Comment.Status.PENDING and not Ban.objects.exists()


def test_staff_without_second_factor_are_sent_to_log_in(client, waiting, moderator):
    client.force_login(moderator)  # password only
    response = client.get(reverse("comments:queue"))
    assert response.status_code == 302


def test_moderators_and_superusers_get_in(moderator_client, waiting, campaigner):
    for url in staff_pages(waiting):
        assert moderator_client.get(url).status_code == 200, url
    from django.test import Client

    admin = log_in_staff(Client(), campaigner)
    assert admin.get(reverse("comments:queue")).status_code == 200


def test_queue_shows_each_comment_with_its_context(moderator_client, post):
    top = published(post, "The top-level comment being answered.")
    reply = post_comment(
        post, supporter=make_supporter(), name="Sam", body="A first reply here.", parent=top
    )
    Flag.objects.create(comment=top, flagger="a", reason=Flag.Reason.ABUSE, note="rude")
    Comment.objects.filter(pk=top.pk).update(status=Comment.Status.HIDDEN)
    html = moderator_client.get(reverse("comments:queue")).content.decode()
    assert "A first reply here." in html and "The top-level comment being answered." in html
    assert "Post news" in html and "replying to" in html and "first comment" in html
    assert "Abusive, hateful or threatening" in html and "rude" in html
    assert reverse("comments:person", args=[reply.supporter_id]) in html
    assert "2 waiting" in html


def test_queue_query_count_does_not_grow(moderator_client, post, django_assert_max_num_queries):
    campaign = make_campaign("att")
    for i, word in enumerate(
        ["Ammunition", "Loopholes", "Governments", "Delegations", "Exports", "Victims"]
    ):
        target = post if i % 2 else campaign
        post_comment(
            target,
            supporter=make_supporter(f"p{i}@example.net", f"P{i}"),
            name=f"P{i}",
            body=f"{word} are the point here.",
        )
    moderator_client.get(reverse("comments:queue"))
    # session, user, permissions (2), OTP device, count, comments, flags, posts, campaigns,
    # history, waiting counts.
    with django_assert_max_num_queries(13):
        assert moderator_client.get(reverse("comments:queue")).status_code == 200


def test_bulk_approve_reject_spam(moderator_client, post, moderator):
    comments = [
        post_comment(
            post,
            supporter=make_supporter(f"b{i}@example.net", f"B{i}"),
            name=f"B{i}",
            body=f"Bulk comment {word}.",
        )
        for i, word in enumerate(["alpha", "beta", "gamma", "delta"])
    ]
    response = moderator_client.post(
        reverse("comments:bulk"), {"action": "approve", "ids": [comments[0].pk, comments[1].pk]}
    )
    assert response.status_code == 302
    moderator_client.post(reverse("comments:bulk"), {"action": "reject", "ids": [comments[2].pk]})
    moderator_client.post(reverse("comments:bulk"), {"one": f"spam:{comments[3].pk}"})
    statuses = [Comment.objects.get(pk=c.pk).status for c in comments]
    assert statuses == ["published", "published", "rejected", "spam"]
    first = Comment.objects.get(pk=comments[0].pk)
    assert first.moderated_by == moderator and first.published_at is not None
    html = moderator_client.get(post.get_absolute_url()).content.decode()
    assert "Bulk comment alpha." in html and "Bulk comment gamma." not in html


def test_bulk_with_bad_input_is_a_message_not_an_error(moderator_client):
    for data in [
        {},
        {"action": "approve"},
        {"action": "explode", "ids": [1]},
        {"action": "approve", "ids": ["x"]},
        {"one": "approve:"},
        {"one": "nope:1"},
    ]:
        response = moderator_client.post(reverse("comments:bulk"), data)
        assert response.status_code == 302
    response = moderator_client.post(
        reverse("comments:bulk"), {"action": "approve", "ids": [1], "next": "https://evil.example/"}
    )
    assert response.url == reverse("comments:queue")


def test_ban_takes_down_what_is_waiting_and_stops_new_comments(moderator_client, post, waiting):
    shown = published(post, "Shown already before the ban.", email=waiting.supporter.email)
    moderator_client.post(reverse("comments:bulk"), {"action": "ban", "ids": [waiting.pk]})
    assert Ban.objects.filter(supporter=waiting.supporter).exists()
    assert Comment.objects.get(pk=waiting.pk).status == Comment.Status.REJECTED
    assert Comment.objects.get(pk=shown.pk).status == Comment.Status.REJECTED
    page = moderator_client.get(
        reverse("comments:person", args=[waiting.supporter_id])
    ).content.decode()
    assert "Banned from commenting" in page
    moderator_client.post(reverse("comments:unban", args=[waiting.supporter_id]))
    assert not Ban.objects.exists()
    moderator_client.post(
        reverse("comments:ban", args=[waiting.supporter_id]), {"reason": "Spam links"}
    )
    assert Ban.objects.get().reason == "Spam links"


def test_person_page_shows_their_history(moderator_client, post, waiting):
    published(post, "An older published one.", email=waiting.supporter.email)
    html = moderator_client.get(
        reverse("comments:person", args=[waiting.supporter_id])
    ).content.decode()
    assert "My very first comment." in html and "An older published one." in html
    assert "1 published, 1 waiting" in html


def test_comment_page_shows_what_came_before(moderator_client, post):
    published(post, "Earlier context comment.")
    later = post_comment(
        post, supporter=make_supporter(), name="Sam", body="The comment under review."
    )
    html = moderator_client.get(
        reverse("comments:moderate_comment", args=[later.pk])
    ).content.decode()
    assert html.index("Earlier context comment.") < html.index("The comment under review.")
    assert (
        moderator_client.get(reverse("comments:moderate_comment", args=[99999])).status_code == 404
    )


def test_moderators_edit_the_blocklist(moderator_client, moderator):
    response = moderator_client.post(
        reverse("comments:blocklist"), {"kind": "domain", "value": "https://Pills.Example/x"}
    )
    assert response.status_code == 302
    term = BlockedTerm.objects.get()
    assert term.value == "pills.example" and term.added_by == moderator
    again = moderator_client.post(
        reverse("comments:blocklist"), {"kind": "domain", "value": "pills.example"}
    )
    assert again.status_code == 400 and BlockedTerm.objects.count() == 1
    bad = moderator_client.post(reverse("comments:blocklist"), {"kind": "domain", "value": "nodot"})
    assert bad.status_code == 400
    assert "pills.example" in moderator_client.get(reverse("comments:blocklist")).content.decode()
    moderator_client.post(reverse("comments:blocklist_remove", args=[term.pk]))
    assert not BlockedTerm.objects.exists()


def reader(email):
    """A browser logged in as a supporter (so with a confirmed email address)."""
    from django.test import Client

    from clamour.testing.comments import log_in_supporter

    return log_in_supporter(Client(), make_supporter(email, email.split("@")[0]))


def test_readers_flag_and_enough_flags_hide(client, post, settings):
    settings.COMMENTS_FLAGS_TO_HIDE = 2
    comment = published(post, "A comment some readers dislike.")
    url = reverse("comments:flag", args=[comment.pk])
    client = reader("first@example.net")
    page = client.get(url)
    assert page.status_code == 200 and "What is wrong with it?" in page.content.decode()
    assert client.post(url, {}).status_code == 400
    assert client.post(url, {"reason": "abuse", "note": "Insulting"}).status_code == 200
    client.post(url, {"reason": "abuse"})  # the same reader again: counted once
    assert Flag.objects.count() == 1
    assert Comment.objects.get(pk=comment.pk).status == Comment.Status.PUBLISHED
    reader("second@example.net").post(url, {"reason": "spam"})
    hidden = Comment.objects.get(pk=comment.pk)
    assert hidden.status == Comment.Status.HIDDEN and hidden.held_because == "flagged by readers"
    assert "some readers dislike" not in client.get(post.get_absolute_url()).content.decode()
    assert client.get(url).status_code == 404  # hidden comments cannot be flagged further


def test_anonymous_flags_bring_a_comment_to_moderators_but_never_hide_it(
    post, settings, moderator_client, moderator
):
    from django.test import Client

    settings.COMMENTS_FLAGS_TO_HIDE = 3
    comment = published(post, "A comment a troll wants gone.")
    url = reverse("comments:flag", args=[comment.pk])
    for _ in range(5):  # fresh cookie jars from one address
        assert Client().post(url, {"reason": "abuse", "note": "go away"}).status_code == 200
    assert Flag.objects.filter(comment=comment).count() == 5
    assert Comment.objects.get(pk=comment.pk).status == Comment.Status.PUBLISHED
    assert "a troll wants gone" in Client().get(post.get_absolute_url()).content.decode()
    queue = moderator_client.get(reverse("comments:queue")).content.decode()
    assert "a troll wants gone" in queue and "go away" in queue and "1 waiting" in queue
    assert "by a reader not logged in" in queue
    # Logged-in readers still count, the anonymous ones do not add to them.
    reader("one@example.net").post(url, {"reason": "abuse"})
    reader("two@example.net").post(url, {"reason": "abuse"})
    assert Comment.objects.get(pk=comment.pk).status == Comment.Status.PUBLISHED
    # A moderator who keeps it dismisses the flags: it leaves the queue.
    moderator_client.post(reverse("comments:bulk"), {"action": "approve", "ids": [comment.pk]})
    assert not Flag.objects.filter(comment=comment, resolved_at=None).exists()
    queue = moderator_client.get(reverse("comments:queue")).content.decode()
    assert "a troll wants gone" not in queue


def test_approving_a_flagged_comment_clears_its_flags(moderator_client, post, settings, moderator):
    settings.COMMENTS_FLAGS_TO_HIDE = 1
    comment = published(post, "Flagged but fine.")
    url = reverse("comments:flag", args=[comment.pk])
    reader("fay@example.net").post(url, {"reason": "off-topic"})
    assert Comment.objects.get(pk=comment.pk).status == Comment.Status.HIDDEN
    moderator_client.post(reverse("comments:bulk"), {"action": "approve", "ids": [comment.pk]})
    assert Comment.objects.get(pk=comment.pk).status == Comment.Status.PUBLISHED
    assert not Flag.objects.filter(resolved_at=None).exists()
    assert "Flagged but fine." in moderator_client.get(post.get_absolute_url()).content.decode()


def test_flag_rate_limit(client, post):
    comment = published(post, "Flag me many times.")
    url = reverse("comments:flag", args=[comment.pk])
    codes = [client.post(url, {"reason": "spam"}).status_code for _ in range(31)]
    assert codes[-1] == 429


def test_logged_in_supporter_flags_once(client, post):
    from clamour.testing.comments import log_in_supporter

    comment = published(post, "Flagged by a supporter.")
    log_in_supporter(client, make_supporter("flagger@example.net", "Fay"))
    url = reverse("comments:flag", args=[comment.pk])
    client.post(url, {"reason": "spam"})
    client.post(url, {"reason": "abuse"})
    assert Flag.objects.count() == 1


def test_staff_set_comment_rules_for_a_campaign_before_any_comment(client, campaigner):
    from django.contrib.contenttypes.models import ContentType

    from clamour.campaigns.models import Campaign
    from clamour.comments.models import Thread

    campaign = make_campaign("att")
    log_in_staff(client, campaigner)
    response = client.post(
        reverse("admin:comments_thread_add"),
        {
            "content_type": ContentType.objects.get_for_model(Campaign).pk,
            "object_id": campaign.pk,
            "moderation": "pre",
            "closed": "",
        },
    )
    assert response.status_code == 302
    assert Thread.objects.get().target == campaign
    html = client.get(campaign.get_absolute_url()).content.decode()
    assert "appear once a moderator has approved them" in html
