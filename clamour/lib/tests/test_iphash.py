from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from clamour.lib.iphash import ip_key, normalise_ip

SECRET = "s" * 50
NOON = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)


def test_same_address_same_day_same_key():
    assert ip_key("203.0.113.7", NOON, secret=SECRET) == ip_key(" 203.0.113.7", NOON + timedelta(hours=11), secret=SECRET)


def test_key_rotates_at_midnight_utc():
    today = ip_key("203.0.113.7", NOON, secret=SECRET)
    assert ip_key("203.0.113.7", NOON + timedelta(hours=12), secret=SECRET) != today


def test_key_depends_on_the_secret_and_hides_the_address():
    key = ip_key("203.0.113.7", NOON, secret=SECRET)
    assert key != ip_key("203.0.113.7", NOON, secret="t" * 50)
    assert "203" not in key and len(key) == 32


def test_ipv6_counts_per_64_network():
    a = ip_key("2001:db8:1:2::1", NOON, secret=SECRET)
    assert a == ip_key("2001:db8:1:2:ffff::9", NOON, secret=SECRET)
    assert a != ip_key("2001:db8:1:3::1", NOON, secret=SECRET)
    assert normalise_ip("::ffff:198.51.100.1") == "198.51.100.1"


@given(st.text(max_size=200))
def test_any_input_gives_a_key(text):
    assert len(ip_key(text, NOON, secret=SECRET)) == 32
