"""Spam and abuse defences, through the comment form."""

import pytest
from django.utils import timezone

from clamour.comments.models import Ban, BlockedTerm, Comment
from clamour.comments.posting import post_comment
from clamour.testing.blog import make_post
from clamour.testing.comments import comment_data, log_in_supporter, make_supporter, post_url

pytestmark = pytest.mark.django_db

ON_TOPIC = "The new draft still leaves ammunition out, which is the loophole we feared."


@pytest.fixture
def post():
    return make_post("news")


@pytest.fixture
def regular(client):
    supporter = make_supporter("regular@example.net", "Rae Regular")
    comment = post_comment(
        make_post("earlier"), supporter=supporter, name="Rae", body="An earlier remark."
    )
    Comment.objects.filter(pk=comment.pk).update(
        status=Comment.Status.PUBLISHED, published_at=timezone.now()
    )
    log_in_supporter(client, supporter)
    return supporter


def new_comments(post):
    return Comment.objects.filter(thread__object_id=post.pk, thread__content_type__model="post")


def test_honeypot(client, post, regular):
    response = client.post(post_url(post), comment_data(ON_TOPIC, website="http://spam.example"))
    assert response.status_code == 400 and not new_comments(post).exists()


def test_too_quick_to_be_typed(client, post, regular):
    response = client.post(post_url(post), comment_data(ON_TOPIC, seconds_ago=0))
    assert response.status_code == 400 and "That was quick" in response.content.decode()
    assert not new_comments(post).exists()


def test_forged_missing_or_stale_timestamp(client, post, regular):
    for started in ["", "12345", "MTIz:forged:signature"]:
        response = client.post(post_url(post), comment_data(ON_TOPIC, started=started))
        assert response.status_code == 400
    response = client.post(post_url(post), comment_data(ON_TOPIC, seconds_ago=3 * 86400))
    assert response.status_code == 400 and "too old" in response.content.decode()
    assert not new_comments(post).exists()


def test_rate_limit_per_person(client, post, regular, settings):
    settings.COMMENTS_RATE_PER_PERSON = (3, 600)
    for word in ["Ammunition", "Loopholes", "Governments"]:
        assert (
            client.post(post_url(post), comment_data(f"{word} are what this is about.")).status_code
            == 302
        )
    response = client.post(post_url(post), comment_data("Victims are what this is about."))
    assert response.status_code == 429 and "a lot of comments" in response.content.decode()
    assert new_comments(post).count() == 3


def test_rate_limit_per_network_address(client, post, settings):
    settings.COMMENTS_RATE_PER_IP = (2, 600)
    for i, word in enumerate(["Ammunition", "Loopholes"]):
        response = client.post(
            post_url(post), comment_data(f"{word} matter.", guest=True, email=f"g{i}@example.net")
        )
        assert response.status_code == 302
    response = client.post(
        post_url(post), comment_data("Victims matter.", guest=True, email="g9@example.net")
    )
    assert response.status_code == 429
    # Another address is not affected.
    other = client.post(
        post_url(post),
        comment_data("Exports matter.", guest=True, email="g8@example.net"),
        REMOTE_ADDR="198.51.100.7",
    )
    assert other.status_code == 302


def test_rate_limit_keeps_no_address(client, post, settings):
    from django.core.cache import cache

    from clamour.core import ratelimit

    client.post(post_url(post), comment_data(ON_TOPIC, guest=True), REMOTE_ADDR="203.0.113.77")
    # The counters live in a file shared by this machine's processes (the default
    # without REDIS_URL), else in the cache: under keyed hashes, never the address.
    table = bytes(ratelimit.shared_counters._file())[ratelimit.SharedCounters.HEADER.size:]
    keys = [key for key in cache._cache.keys() if ":rl:" in key]
    assert table.strip(b"\0") or keys
    for form in ("203.0.113.77", "203.0.113"):
        assert form.encode() not in table and form.encode("utf-16-le") not in table
        assert not any(form in key for key in keys)


def test_link_only_comment_waits_for_a_moderator(client, post, regular):
    client.post(post_url(post), comment_data("https://video.example/watch?v=abc123"))
    comment = new_comments(post).get()
    assert comment.status == Comment.Status.PENDING and "only a link" in comment.held_because


def test_too_many_links_wait(client, post, regular, settings):
    settings.COMMENTS_MAX_LINKS = 1
    client.post(
        post_url(post), comment_data(ON_TOPIC + " https://a.example.org https://b.example.org")
    )
    assert new_comments(post).get().status == Comment.Status.PENDING


def test_blocked_word_waits_and_blocked_domain_is_spam(client, post, regular):
    BlockedTerm.objects.create(kind=BlockedTerm.Kind.WORD, value="casino")
    BlockedTerm.objects.create(kind=BlockedTerm.Kind.DOMAIN, value="pills.example")
    client.post(
        post_url(post), comment_data(ON_TOPIC + " Also: best саsіnо bonus.")
    )  # Cyrillic letters
    worded = new_comments(post).get()
    assert worded.status == Comment.Status.PENDING and "blocked word" in worded.held_because
    client.post(
        post_url(post), comment_data("Cheap meds at https://shop.pills.example/buy now, friends!")
    )
    assert new_comments(post).get(body__contains="meds").status == Comment.Status.SPAM


def test_same_comment_twice_is_refused(client, post, regular):
    assert client.post(post_url(post), comment_data(ON_TOPIC)).status_code == 302
    again = client.post(post_url(post), comment_data(ON_TOPIC.upper() + "!!"))
    assert again.status_code == 400 and "already posted" in again.content.decode()
    assert new_comments(post).count() == 1


def test_same_text_from_different_people_waits(client, post, regular):
    client.post(post_url(post), comment_data(ON_TOPIC))
    other = make_supporter("copy@example.net", "Cy Copy")
    earlier = post_comment(
        make_post("elsewhere"), supporter=other, name="Cy", body="Earlier, different."
    )
    Comment.objects.filter(pk=earlier.pk).update(status=Comment.Status.PUBLISHED)
    log_in_supporter(client, other)
    client.post(post_url(post), comment_data(ON_TOPIC))
    copied = new_comments(post).get(supporter=other)
    assert copied.status == Comment.Status.PENDING and "same text" in copied.held_because


def test_banned_person_cannot_comment(client, post, regular):
    Ban.objects.create(supporter=regular)
    response = client.post(post_url(post), comment_data(ON_TOPIC))
    assert response.status_code == 400 and "no longer comment" in response.content.decode()
    assert not new_comments(post).exists()


def test_guest_using_a_banned_persons_email_is_refused(client, post):
    banned = make_supporter("banned@example.net", "Bad Actor")
    Ban.objects.create(supporter=banned)
    response = client.post(
        post_url(post), comment_data(ON_TOPIC, guest=True, email="Banned@Example.net")
    )
    assert response.status_code == 400 and not new_comments(post).exists()


def test_names_cannot_be_links(client, post):
    response = client.post(
        post_url(post), comment_data(ON_TOPIC, guest=True, name="Cheap pills www.pills.example")
    )
    assert response.status_code == 400 and "not a web address" in response.content.decode()
