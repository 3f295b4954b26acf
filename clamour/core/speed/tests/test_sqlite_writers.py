"""SQLite writers queue on a file lock instead of polling the database lock."""

import fcntl
import os
import threading
import time

import pytest
from django.db import connection, transaction

from clamour.supporters.models import Supporter

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite only"),
]


def test_a_second_writer_waits_for_the_first(settings):
    holding = threading.Event()
    timings = {}

    def first():
        try:
            with transaction.atomic():
                Supporter.objects.create(email="first@example.net", name="First")
                holding.set()
                time.sleep(0.4)
                timings["first_done"] = time.monotonic()
        finally:
            connection.close()

    def second():
        try:
            holding.wait(5)
            start = time.monotonic()
            with transaction.atomic():
                timings["second_in"] = time.monotonic()
                Supporter.objects.create(email="second@example.net", name="Second")
            timings["waited"] = timings["second_in"] - start
        finally:
            connection.close()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert Supporter.objects.count() == 2
    assert timings["waited"] >= 0.3  # it queued behind the first writer
    assert timings["second_in"] >= timings["first_done"]


def test_a_transaction_holds_the_file_lock_that_writers_queue_on():
    lock_path = str(connection.settings_dict["NAME"]) + "-writelock"
    other = os.open(lock_path, os.O_RDWR | os.O_CREAT)
    try:
        with transaction.atomic():
            Supporter.objects.create(email="z@example.net", name="Z")
            with pytest.raises(BlockingIOError):
                fcntl.flock(other, fcntl.LOCK_EX | fcntl.LOCK_NB)
        fcntl.flock(other, fcntl.LOCK_EX | fcntl.LOCK_NB)  # free again after the commit
        fcntl.flock(other, fcntl.LOCK_UN)
    finally:
        os.close(other)


def test_the_lock_is_released_when_a_transaction_fails():
    with pytest.raises(ValueError):
        with transaction.atomic():
            Supporter.objects.create(email="x@example.net", name="X")
            raise ValueError("boom")
    done = []

    def writer():
        try:
            with transaction.atomic():
                Supporter.objects.create(email="y@example.net", name="Y")
            done.append(True)
        finally:
            connection.close()

    thread = threading.Thread(target=writer)
    thread.start()
    thread.join(5)
    assert done == [True]
