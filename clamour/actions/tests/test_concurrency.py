"""Submissions under real concurrency (threads, each with its own database connection),
with group commit on as in production. Runs on SQLite and PostgreSQL alike."""


import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from clamour.actions.models import Submission
from clamour.core.speed.groupcommit import committer
from clamour.testing.actions import in_threads
from clamour.testing.factories import add_target, letter_post, make_campaign

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def spike(settings):
    yield from _spike(settings)
    committer.close_connection()


def _spike(settings):
    settings.GROUP_COMMIT = True
    settings.SUBMIT_RATE_PER_IP = settings.SUBMIT_RATE_PER_EMAIL = (0, 60)
    campaign = make_campaign(require_confirmation=False)
    add_target(campaign)
    yield campaign


def post(campaign, email):
    response = Client().post(reverse("actions:submit", args=[campaign.slug]),
                             letter_post(campaign, email=email))
    return response.status_code, response.content


def test_every_acknowledged_submission_is_in_the_database(spike):
    before = committer.items
    results = in_threads(24, lambda i: post(spike, f"person{i}@example.net"))
    acknowledged = [i for i, (status, _body) in enumerate(results) if status == 302]
    assert len(acknowledged) == 24, [status for status, _body in results]
    stored = set(Submission.objects.values_list("email", flat=True))
    assert {f"person{i}@example.net" for i in acknowledged} <= stored
    assert committer.items - before == 24
    # The public count is exact once the interval lapses.
    cache.clear()
    url = reverse("campaigns:count", args=[spike.slug])
    assert Client().get(url).json()["count"] == 24


@pytest.mark.parametrize("group_commit", [True, False])
def test_the_same_person_at_once_counts_once(spike, settings, group_commit):
    settings.GROUP_COMMIT = group_commit
    results = in_threads(12, lambda i: post(spike, "same@example.net"))
    # Everyone gets the same answer (whether an address took part is not told on the
    # page), and one submission is stored.
    assert [status for status, _body in results] == [302] * 12
    assert Submission.objects.filter(email="same@example.net").count() == 1


def test_a_failing_piece_does_not_spoil_its_batch(spike, settings):
    """One submission breaks inside the writer; the others in the same batch commit."""
    settings.GROUP_COMMIT = True
    outcomes = in_threads(10, lambda i: _run_piece(spike.action, i))
    assert outcomes.count("boom") == 1
    assert outcomes.count("ok") == 9
    assert Submission.objects.count() == 9
    assert not Submission.objects.filter(email="p3@example.net").exists()


def call_each(key, works):
    return [work() for work in works]


def _run_piece(action, i):
    from clamour.supporters.models import Supporter

    def work():
        supporter = Supporter.objects.create(email=f"p{i}@example.net", name="P")
        submission = Submission.objects.create(action=action, supporter=supporter, name="P",
                                               email=supporter.email, country="GB",
                                               consent_wording="w")
        if i == 3:
            raise ValueError("boom")  # after writing: its savepoint must undo both rows
        return submission

    try:
        committer.run_batched(call_each, "pieces", work)
        return "ok"
    except ValueError:
        return "boom"
