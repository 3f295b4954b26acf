"""The writer's batch: no savepoints while all goes well, isolation when a piece fails."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from clamour.core.speed.groupcommit import GroupCommitter, _Item
from clamour.supporters.models import Supporter

pytestmark = pytest.mark.django_db(transaction=True)


def store_each(key, payloads):
    """Batchable work whose call fails as a whole if one payload fails."""
    stored = []
    for email, fail in payloads:
        stored.append(Supporter.objects.create(email=email, name="S").pk)
        if fail:
            raise ValueError("boom")  # after writing: that write must not stay
    return stored


def make(email, fail=False):
    return _Item(store_each, "each", (email, fail))


def store_batch(fn_key_payloads=()):
    def store(key, payloads):
        return [Supporter.objects.create(email=p, name=key).pk for p in payloads]

    return [_Item(store, "group", p) for p in fn_key_payloads], store


def commit(items):
    with CaptureQueriesContext(connection) as queries:
        GroupCommitter()._commit(items)
    return [q["sql"] for q in queries.captured_queries]


def test_a_batch_that_goes_well_uses_no_savepoints():
    grouped, _store = store_batch(["g1@example.net", "g2@example.net"])
    items = [make("a@example.net"), make("b@example.net"), *grouped]
    sql = commit(items)
    assert all(item.error is None and item.result for item in items)
    assert not any("SAVEPOINT" in statement for statement in sql)
    assert Supporter.objects.count() == 4


def test_a_failing_piece_is_isolated_and_the_rest_commit():
    grouped, _store = store_batch(["g1@example.net", "g2@example.net"])
    bad = make("bad@example.net", fail=True)
    items = [make("a@example.net"), bad, make("c@example.net"), *grouped]
    sql = commit(items)
    assert isinstance(bad.error, ValueError) and bad.result is None
    assert all(item.error is None and item.result for item in items if item is not bad)
    assert any("SAVEPOINT" in statement for statement in sql)  # the second, careful pass
    assert set(Supporter.objects.values_list("email", flat=True)) == {
        "a@example.net", "c@example.net", "g1@example.net", "g2@example.net"}
    # Results are those of the pass that committed: the keys really stored.
    assert {item.result for item in items if item is not bad} == set(
        Supporter.objects.values_list("pk", flat=True))
