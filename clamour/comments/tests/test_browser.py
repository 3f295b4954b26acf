"""Reading a post, commenting as a new person, and a moderator approving it, in a real
browser (Debian Chromium via Playwright), with hostile markup that must never run."""

import re
import time

import pytest
from django.test import Client

from clamour.comments.models import Comment
from clamour.testing.auth import log_in_staff
from clamour.testing.blog import make_post
from clamour.testing.browser import wait_for

pytestmark = [pytest.mark.slow, pytest.mark.browser]

HOSTILE = (
    "I wrote today. <img src=x onerror=window.__pwned=1> "
    "<script>window.__pwned=1</script> Keep going!"
)


def test_new_person_comments_confirms_and_a_moderator_approves(
    live_server, settings, smtp_settings, task_worker, browser_page, moderator
):
    settings.SITE_URL = live_server.url
    settings.COMMENTS_MIN_SECONDS = 1
    make_post("ammunition", title="Why the ammunition loophole matters")
    page = browser_page

    # Reading the post.
    page.goto(f"{live_server.url}/blog/")
    page.click("text=Why the ammunition loophole matters")
    page.wait_for_url(re.compile(r"/blog/ammunition/$"))
    assert page.locator("h1").inner_text() == "Why the ammunition loophole matters"
    assert page.locator("#comments-title").inner_text() == "0 comments"

    # Commenting as someone new, with markup that would run if it were not escaped.
    page.fill("#id_comment-body", HOSTILE)
    page.fill("#id_comment-name", "Nadia <b>New</b>")
    page.fill("#id_comment-email", "nadia@example.net")
    page.check("#id_comment-notify_replies")
    box = page.locator(
        "#id_comment-website"
    ).bounding_box()  # the honeypot is off screen, not for people
    assert box is None or box["x"] + box["width"] < 0
    time.sleep(1.1)
    page.click("text=Post comment")
    page.wait_for_url(re.compile(r"/comments/received/"))
    assert "check your email" in page.content()

    # The confirmation email: opening the link is not enough, the button confirms.
    message = wait_for(
        lambda: smtp_settings.to("nadia@example.net"), what="the confirmation email"
    )[0]
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    link = re.search(r"http://\S+/comments/confirm/\S+/", message.get_content()).group(0)
    page.goto(link)
    assert Comment.objects.get().status == Comment.Status.UNCONFIRMED
    page.click("text=Confirm and post")
    page.wait_for_url(re.compile(r"/comments/received/"))
    assert "waiting for a moderator" in page.content()
    assert Comment.objects.get().status == Comment.Status.PENDING

    # Back on the post, the writer sees their comment marked as waiting; nobody else does.
    page.goto(f"{live_server.url}/blog/ammunition/")
    assert "only you can see it" in page.locator("#comments").inner_text()
    assert page.evaluate("window.__pwned") is None

    # A moderator, logged in with password and second factor, approves it from the queue.
    staff = log_in_staff(Client(), moderator)
    moderator_context = page.context.browser.new_context()
    moderator_context.add_cookies(
        [{"name": "sessionid", "value": staff.cookies["sessionid"].value, "url": live_server.url}]
    )
    queue = moderator_context.new_page()
    queue.goto(f"{live_server.url}/comments/moderate/")
    item = queue.locator(".mod-item", has_text="I wrote today.")
    assert (
        "first comment" in item.inner_text()
        and "Why the ammunition loophole matters" in item.inner_text()
    )
    assert queue.evaluate("window.__pwned") is None
    item.locator("button", has_text="Approve").click()
    queue.wait_for_load_state()
    assert "1 comment done." in queue.content()
    assert Comment.objects.get().status == Comment.Status.PUBLISHED
    moderator_context.close()

    # Published: shown as text, and no script ever ran.
    page.goto(f"{live_server.url}/blog/ammunition/")
    comments = page.locator("#comments")
    assert page.locator("#comments-title").inner_text() == "1 comment"
    text = comments.locator(".comment-body").inner_text()
    assert (
        "<img src=x onerror=window.__pwned=1>" in text
        and "<script>window.__pwned=1</script>" in text
    )
    assert comments.locator(".comment-name").inner_text() == "Nadia <b>New</b>"
    assert comments.locator("img").count() == 0 and comments.locator("script").count() == 0
    when = comments.locator(".comment-head time")
    assert when.inner_text() == "just now" and when.get_attribute("title")
    assert page.evaluate("window.__pwned") is None

    # The same person comments again from this browser without confirming again.
    page.fill("#id_comment-body", "Another thought, no email needed this time.")
    time.sleep(1.1)
    page.click("text=Post comment")
    page.wait_for_load_state()
    assert (
        Comment.objects.filter(body__startswith="Another thought").get().status
        == Comment.Status.PUBLISHED
    )
    assert "Another thought" in page.locator("#comments").inner_text()
    assert len(smtp_settings.to("nadia@example.net")) == 1
