import re
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from clamour.comments.models import Comment, Thread
from clamour.comments.posting import post_comment
from clamour.supporters.models import EmailOptOut, Supporter
from clamour.supporters.session import SESSION_KEY
from clamour.testing.blog import make_post
from clamour.testing.comments import comment_data, log_in_supporter, make_supporter, post_url
from clamour.testing.factories import make_campaign

pytestmark = pytest.mark.django_db

TEXT = "The ammunition loophole has to close before the final session."


@pytest.fixture
def post():
    return make_post("news")


@pytest.fixture
def regular():
    """A supporter with one approved comment already, so theirs are not first comments."""
    supporter = make_supporter("regular@example.net", "Rae Regular")
    earlier = make_post("earlier")
    comment = post_comment(
        earlier, supporter=supporter, name=supporter.name, body="An earlier remark."
    )
    Comment.objects.filter(pk=comment.pk).update(
        status=Comment.Status.PUBLISHED, published_at=timezone.now()
    )
    return supporter


def test_first_comment_waits_for_a_moderator(client, post):
    supporter = make_supporter()
    log_in_supporter(client, supporter)
    response = client.post(post_url(post), comment_data())
    assert response.status_code == 302 and "/comments/received/" in response.url
    comment = Comment.objects.get()
    assert comment.status == Comment.Status.PENDING and comment.held_because == "first comment"
    assert comment.name == "Sam Supporter" and comment.supporter == supporter
    assert "waiting for a moderator" in client.get(response.url).content.decode()
    html = client.get(post.get_absolute_url()).content.decode()
    assert "only you can see it" in html and TEXT in html  # the writer sees it, marked
    client.logout()
    assert TEXT not in client.get(post.get_absolute_url()).content.decode()  # nobody else does


def test_known_commenter_is_published_at_once(client, post, regular):
    log_in_supporter(client, regular)
    response = client.post(post_url(post), comment_data())
    comment = Comment.objects.get(thread__object_id=post.pk)
    assert comment.status == Comment.Status.PUBLISHED
    assert response.url == f"{post.get_absolute_url()}#comment-{comment.pk}"
    client.logout()
    html = client.get(post.get_absolute_url()).content.decode()
    assert TEXT in html and "1 comment" in html and f'id="comment-{comment.pk}"' in html


def test_a_logged_in_supporter_cannot_be_made_to_comment_from_another_site(post, regular):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    log_in_supporter(strict, regular)
    refused = strict.post(post_url(post), comment_data(),
                          HTTP_SEC_FETCH_SITE="cross-site", HTTP_ORIGIN="https://evil.example")
    assert refused.status_code == 403 and not Comment.objects.filter(thread__object_id=post.pk)
    taken = strict.post(post_url(post), comment_data(),
                        HTTP_SEC_FETCH_SITE="same-origin", HTTP_ORIGIN="http://testserver")
    assert taken.status_code == 302 and Comment.objects.filter(thread__object_id=post.pk).count() == 1


def test_pre_moderated_page_holds_everyone(client, post, regular):
    Thread.objects.create(target=post, moderation=Thread.Moderation.PRE)
    log_in_supporter(client, regular)
    client.post(post_url(post), comment_data())
    comment = Comment.objects.get(thread__object_id=post.pk)
    assert comment.status == Comment.Status.PENDING and "pre-moderated" in comment.held_because


def test_guest_comments_after_confirming_their_email_once(client, post, run_tasks):
    response = client.post(post_url(post), comment_data(guest=True, notify_replies="on"))
    assert response.status_code == 302
    comment = Comment.objects.get()
    assert comment.status == Comment.Status.UNCONFIRMED and comment.notify_replies
    assert Supporter.objects.get().email == "gita@example.net"
    assert "check your email" in client.get(response.url).content.decode()
    run_tasks()
    message = mail.outbox[-1]
    assert message.to == ["gita@example.net"] and "List-Unsubscribe" in message.extra_headers
    link = re.search(r"http://\S+/comments/confirm/\S+/", message.body).group(0)
    path = link.split("127.0.0.1:8000", 1)[1]
    page = client.get(path)
    assert page.status_code == 200 and b"Confirm and post" in page.content
    assert Comment.objects.get().status == Comment.Status.UNCONFIRMED  # opening is not confirming
    client.post(path)
    comment.refresh_from_db()
    assert comment.status == Comment.Status.PENDING  # a first comment, so a moderator looks
    assert client.session[SESSION_KEY] == comment.supporter_id  # this browser is remembered
    # The next comment from this browser needs no email.
    mail.outbox.clear()
    client.post(post_url(post), comment_data("And another thought about the treaty text."))
    run_tasks()
    second = Comment.objects.latest("pk")
    assert second.status == Comment.Status.PENDING and second.supporter_id == comment.supporter_id
    assert mail.outbox == []
    # Confirming twice changes nothing.
    assert client.post(path).status_code == 302


def test_confirmation_links_that_are_forged_or_old(client, post, settings):
    assert client.get("/comments/confirm/nonsense/").status_code == 400
    client.post(post_url(post), comment_data(guest=True))
    from clamour.comments.notifications import confirmation_token

    token = confirmation_token(Comment.objects.get())
    settings.CONFIRMATION_MAX_AGE_DAYS = 0
    response = client.post(f"/comments/confirm/{token}/")
    assert response.status_code == 400 and b"expired" in response.content
    assert Comment.objects.get().status == Comment.Status.UNCONFIRMED


def test_a_confirmation_link_logs_in_once_and_never_after_the_comment_is_confirmed(post):
    from django.test import Client

    from clamour.comments.notifications import confirmation_token

    Client().post(post_url(post), comment_data(guest=True))
    comment = Comment.objects.get()
    path = f"/comments/confirm/{confirmation_token(comment)}/"
    first = Client()
    assert first.post(path).status_code == 302
    assert first.session[SESSION_KEY] == comment.supporter_id
    assert Comment.objects.get().status != Comment.Status.UNCONFIRMED
    # Anyone holding the link later (a forwarded email, a shared inbox) gets no session.
    for later in (Client(), first):
        later.cookies.clear()
        response = later.post(path)
        assert response.status_code == 302
        assert SESSION_KEY not in later.session
        assert later.get("/account/").status_code != 200
        page = later.get(path)
        assert b"already confirmed" in page.content and b"Confirm and post" not in page.content


def test_guests_can_be_turned_off(client, post, settings):
    settings.COMMENTS_ALLOW_GUESTS = False
    html = client.get(post.get_absolute_url()).content.decode()
    assert 'name="comment-body"' not in html and "Log in to comment" in html
    response = client.post(post_url(post), comment_data(guest=True))
    assert response.status_code == 403 and not Comment.objects.exists()


def test_closed_page_takes_no_comments(client, post, regular):
    Thread.objects.create(target=post, closed=True)
    log_in_supporter(client, regular)
    assert "Comments are closed." in client.get(post.get_absolute_url()).content.decode()
    response = client.post(post_url(post), comment_data())
    assert (
        response.status_code == 403
        and not Comment.objects.filter(thread__object_id=post.pk).exists()
    )


def test_comments_close_by_themselves_after_a_while(client, regular, settings):
    settings.COMMENTS_CLOSE_AFTER_DAYS = 30
    old = make_post("old", days_ago=31)
    young = make_post("young", days_ago=29)
    log_in_supporter(client, regular)
    assert client.post(post_url(old), comment_data()).status_code == 403
    assert client.post(post_url(young), comment_data()).status_code == 302
    settings.COMMENTS_CLOSE_AFTER_DAYS = 0  # never
    assert (
        client.post(post_url(old), comment_data("Now it is open again for good.")).status_code
        == 302
    )


def test_hidden_pages_take_no_comments(client, regular):
    from clamour.blog.models import Post
    from clamour.campaigns.models import Campaign

    draft = make_post("draft", status=Post.Status.DRAFT)
    secret = make_campaign("secret", status=Campaign.Status.DRAFT)
    log_in_supporter(client, regular)
    assert client.post(post_url(draft), comment_data()).status_code == 404
    assert client.post(post_url(secret), comment_data()).status_code == 404
    assert client.post("/comments/nothing/1/post/", comment_data()).status_code == 404
    assert client.get(post_url(make_post())).status_code == 405


def test_campaign_pages_take_comments(client, regular):
    campaign = make_campaign("att")
    log_in_supporter(client, regular)
    response = client.post(post_url(campaign), comment_data())
    comment = Comment.objects.get(
        thread__object_id=campaign.pk, thread__content_type__model="campaign"
    )
    assert response.url == f"{campaign.get_absolute_url()}#comment-{comment.pk}"
    client.logout()
    html = client.get(campaign.get_absolute_url()).content.decode()
    assert TEXT in html and 'id="comments"' in html


def test_campaign_page_query_count_with_comments(client, regular, django_assert_max_num_queries):
    campaign = make_campaign("att")
    for word in ["Ammunition", "Loopholes", "Governments", "Delegations", "Exports", "Victims"]:
        post_comment(
            campaign, supporter=regular, name="Rae", body=f"{word} matter most in this treaty."
        )
    client.cookies["sessionid"] = "none"
    client.get(campaign.get_absolute_url())
    with django_assert_max_num_queries(4):  # the page's own four; the thread comes from the cache
        html = client.get(campaign.get_absolute_url()).content.decode()
    assert "Victims matter most" in html


def test_replies_are_one_level_deep(client, post, regular):
    top = post_comment(post, supporter=regular, name="Rae", body="Top-level comment here.")
    log_in_supporter(client, regular)
    client.post(post_url(post), comment_data("A reply to the top comment.", parent=top.pk))
    reply = Comment.objects.get(body="A reply to the top comment.")
    assert reply.parent == top
    client.post(post_url(post), comment_data("A reply to the reply, please.", parent=reply.pk))
    assert Comment.objects.get(body="A reply to the reply, please.").parent == top
    html = client.get(post.get_absolute_url()).content.decode()
    replies = html.split('class="comment-replies"')[1]
    assert "A reply to the top comment." in replies and "A reply to the reply, please." in replies
    # Replying to something that is not published is refused.
    hidden = post_comment(
        post, supporter=make_supporter("x@example.net"), name="X", body="Waiting one"
    )
    response = client.post(
        post_url(post), comment_data("Reply to a waiting comment", parent=hidden.pk)
    )
    assert response.status_code == 400 and b"no longer there" in response.content


def test_reply_page_works_without_javascript(client, post, regular):
    top = post_comment(post, supporter=regular, name="Rae", body="Top-level comment here.")
    html = client.get(reverse("comments:reply", args=[top.pk])).content.decode()
    assert "Top-level comment here." in html and f'name="comment-parent" value="{top.pk}"' in html
    assert 'name="comment-email"' in html  # a guest: name and email asked
    waiting = post_comment(
        post, supporter=make_supporter("x@example.net"), name="X", body="Waiting one"
    )
    assert client.get(reverse("comments:reply", args=[waiting.pk])).status_code == 404


def test_newest_or_oldest_first(client, post, regular):
    first = post_comment(post, supporter=regular, name="Rae", body="The very first comment.")
    Comment.objects.filter(pk=first.pk).update(created_at=timezone.now() - timedelta(hours=2))
    post_comment(post, supporter=regular, name="Rae", body="The second comment, later on.")
    oldest = client.get(post.get_absolute_url()).content.decode()
    assert oldest.index("The very first comment.") < oldest.index("The second comment")
    newest = client.get(post.get_absolute_url() + "?comments=newest").content.decode()
    assert newest.index("The second comment") < newest.index("The very first comment.")
    # The campaign page too, even for visitors served from the page cache.
    campaign = make_campaign("att")
    a = post_comment(campaign, supporter=regular, name="Rae", body="Campaign comment one.")
    Comment.objects.filter(pk=a.pk).update(created_at=timezone.now() - timedelta(hours=2))
    post_comment(campaign, supporter=regular, name="Rae", body="Campaign comment two.")
    client.get(campaign.get_absolute_url())
    html = client.get(campaign.get_absolute_url() + "?comments=newest").content.decode()
    assert html.index("Campaign comment two.") < html.index("Campaign comment one.")


def test_relative_dates_with_the_exact_time_on_hover(client, post, regular):
    comment = post_comment(post, supporter=regular, name="Rae", body="Posted a while ago.")
    when = timezone.now() - timedelta(hours=2, minutes=5)
    Comment.objects.filter(pk=comment.pk).update(published_at=when)
    html = client.get(post.get_absolute_url()).content.decode()
    time_tag = re.search(
        r'<time datetime="([^"]+)" title="([^"]+)">([^<]+)</time>', html.split("comment-head")[1]
    )
    assert time_tag.group(1) == when.isoformat() and time_tag.group(3) == "2 hours ago"
    assert str(when.year) in time_tag.group(2)
    Comment.objects.filter(pk=comment.pk).update(
        published_at=timezone.now() - timedelta(days=11 * 365 + 5)
    )
    from django.core.cache import cache

    from clamour.core.speed import localcache

    cache.clear()
    localcache.clear()  # the page cache
    assert "11 years ago" in client.get(post.get_absolute_url()).content.decode()


def test_reply_notification_is_emailed_to_those_who_asked(client, post, regular, run_tasks):
    asker = make_supporter("asker@example.net", "Asa Asker")
    Comment.objects.filter(supporter=regular).update(status=Comment.Status.PUBLISHED)
    top = post_comment(
        post, supporter=asker, name="Asa", body="Who will vote for it?", notify_replies=True
    )
    Comment.objects.filter(pk=top.pk).update(
        status=Comment.Status.PUBLISHED, published_at=timezone.now()
    )
    quiet = post_comment(post, supporter=asker, name="Asa", body="A comment with no emails wanted.")
    Comment.objects.filter(pk=quiet.pk).update(
        status=Comment.Status.PUBLISHED, published_at=timezone.now()
    )
    run_tasks()
    mail.outbox.clear()
    log_in_supporter(client, regular)
    client.post(
        post_url(post), comment_data("Several governments have said they will.", parent=top.pk)
    )
    client.post(
        post_url(post), comment_data("This reply should not send an email at all.", parent=quiet.pk)
    )
    run_tasks()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["asker@example.net"] and "Rae Regular replied" in message.subject
    assert "Several governments have said they will." in message.body
    reply = Comment.objects.get(body="Several governments have said they will.")
    assert f"/blog/news/#comment-{reply.pk}" in message.body
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    # Running the task again sends nothing more.
    from clamour.comments.notifications import send_reply_notification

    assert send_reply_notification.call(reply.pk) == "already sent"
    # One click on the unsubscribe link stops reply emails.
    unsubscribe = (
        message.extra_headers["List-Unsubscribe"].strip("<>").split("127.0.0.1:8000", 1)[1]
    )
    client.post(unsubscribe)
    assert EmailOptOut.objects.filter(supporter=asker, topic="comment-replies").exists()
    mail.outbox.clear()
    client.post(post_url(post), comment_data("A second reply after unsubscribing.", parent=top.pk))
    run_tasks()
    assert mail.outbox == []


def test_no_email_for_replying_to_yourself(client, post, regular, run_tasks):
    top = post_comment(
        post, supporter=regular, name="Rae", body="My own top comment.", notify_replies=True
    )
    log_in_supporter(client, regular)
    client.post(post_url(post), comment_data("Answering myself here.", parent=top.pk))
    run_tasks()
    assert mail.outbox == []


def test_reply_notification_waits_for_approval(client, post, regular, run_tasks, moderator):
    from clamour.comments.moderation import approve

    top = post_comment(
        post, supporter=regular, name="Rae", body="Top comment, tell me.", notify_replies=True
    )
    newcomer = make_supporter("new@example.net", "Nia Newcomer")
    log_in_supporter(client, newcomer)
    client.post(post_url(post), comment_data("A first-time reply.", parent=top.pk))
    run_tasks()
    assert mail.outbox == []  # the reply waits for a moderator, so no email yet
    approve([Comment.objects.get(body="A first-time reply.")], moderator)
    run_tasks()
    assert [m.to for m in mail.outbox] == [["regular@example.net"]]
