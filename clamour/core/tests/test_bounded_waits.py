"""Waits for the database's write lock end in a 503 within their bound, and what the
person gave up on is never written afterwards."""

import fcntl
import os
import sqlite3
import threading
import time

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from clamour.actions.models import Submission
from clamour.core.speed.groupcommit import committer
from clamour.testing.factories import add_target, letter_post, make_campaign

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's locks"),
]


@pytest.fixture
def campaign(settings):
    settings.SUBMIT_RATE_PER_IP = settings.SUBMIT_RATE_PER_EMAIL = (0, 60)
    campaign = make_campaign(require_confirmation=False)
    add_target(campaign)
    return campaign


def timed_post(campaign, email, answers):
    start = time.monotonic()
    try:
        response = Client().post(reverse("actions:submit", args=[campaign.slug]),
                                 letter_post(campaign, email=email))
        answers.append((response.status_code, response.content, time.monotonic() - start))
    finally:
        connection.close()


def post_while(campaign, hold, release, email="held@example.net"):
    """Post a submission in another thread while `hold` keeps a lock; release it after
    at most 25 s whatever happens. Returns (status, body, seconds taken)."""
    answers = []
    hold()
    thread = threading.Thread(target=timed_post, args=(campaign, email, answers))
    thread.start()
    thread.join(25)
    release()
    thread.join(30)
    return answers[0]


def test_a_held_sqlite_lock_gives_a_503_within_the_group_commit_timeout(campaign, settings):
    settings.GROUP_COMMIT = True
    settings.GROUP_COMMIT_TIMEOUT = 1
    other = sqlite3.connect(connection.settings_dict["NAME"], isolation_level=None)
    try:
        status, body, took = post_while(
            campaign, lambda: other.execute("BEGIN IMMEDIATE"), lambda: other.execute("ROLLBACK"))
        assert status == 503 and b"Nothing was recorded" in body
        assert took < 4, took  # GROUP_COMMIT_TIMEOUT, not SQLITE_BUSY_TIMEOUT (20 s)
        committer.close_connection()  # the writer has finished with its batch
    finally:
        other.close()
    assert not Submission.objects.filter(supporter__email="held@example.net").exists()


def test_a_held_write_file_lock_gives_a_503_within_the_busy_timeout(campaign, settings):
    settings.SQLITE_BUSY_TIMEOUT = 1
    fd = os.open(str(connection.settings_dict["NAME"]) + "-writelock", os.O_RDWR | os.O_CREAT)
    try:
        status, body, took = post_while(
            campaign, lambda: fcntl.flock(fd, fcntl.LOCK_EX), lambda: fcntl.flock(fd, fcntl.LOCK_UN))
    finally:
        os.close(fd)
    assert status == 503 and b"Nothing was recorded" in body
    assert took < 4, took
    assert not Submission.objects.exists()
    # The lock, once free, is taken at once by the next writer (the helper that waited
    # for it handed it back).
    answers = []
    timed_post(campaign, "after@example.net", answers)
    assert answers[0][0] == 302 and answers[0][2] < 4
    assert Submission.objects.count() == 1


def test_sqlite_lock_and_file_lock_share_one_bound(campaign, settings):
    settings.SQLITE_BUSY_TIMEOUT = 2
    fd = os.open(str(connection.settings_dict["NAME"]) + "-writelock", os.O_RDWR | os.O_CREAT)
    other = sqlite3.connect(connection.settings_dict["NAME"], isolation_level=None)

    def hold():
        fcntl.flock(fd, fcntl.LOCK_EX)
        other.execute("BEGIN IMMEDIATE")
        threading.Timer(1.2, fcntl.flock, (fd, fcntl.LOCK_UN)).start()  # SQLite's stays held

    try:
        status, body, took = post_while(campaign, hold, lambda: other.execute("ROLLBACK"))
    finally:
        other.close()
        os.close(fd)
    assert status == 503
    assert took < 3.5, took  # 2 s in all, not 2 s for each lock


def test_the_writer_waits_for_a_held_file_lock_without_keeping_anyone_waiting(campaign,
                                                                              settings):
    settings.GROUP_COMMIT = True
    settings.GROUP_COMMIT_TIMEOUT = 1
    fd = os.open(str(connection.settings_dict["NAME"]) + "-writelock", os.O_RDWR | os.O_CREAT)
    helpers = []

    def release():
        # While the lock was held the writer waited on it itself, with no helper thread
        # (one for each of its commits would cost a spike dearly).
        helpers.extend(t for t in threading.enumerate() if t.name == "sqlite-write-lock")
        fcntl.flock(fd, fcntl.LOCK_UN)

    try:
        status, body, took = post_while(campaign, lambda: fcntl.flock(fd, fcntl.LOCK_EX), release)
    finally:
        os.close(fd)
    assert helpers == []
    assert status == 503 and b"Nothing was recorded" in body and took < 4, (status, took)
    committer.close_connection()
    assert not Submission.objects.exists()
