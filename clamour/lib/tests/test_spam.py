from hypothesis import given, settings
from hypothesis import strategies as st

from clamour.lib.spam import (
    HOLD,
    PUBLISH,
    SPAM,
    assess,
    domain_matches,
    domain_of,
    find_links,
    fingerprint,
    is_link_only,
    is_lookalike_domain,
    is_near_duplicate,
    words_found,
)

ON_TOPIC = (
    "The latest draft still leaves ammunition out of the export controls, "
    "which is the loophole everyone warned about."
)


def test_on_topic_comment_passes():
    result = assess(ON_TOPIC)
    assert result.verdict == PUBLISH and result.reasons == []


def test_finds_links_with_and_without_scheme():
    text = "See https://example.org/a?b=1, www.example.net and spam-shop.xyz/buy. Not e.g. or i.e."
    assert find_links(text) == ["https://example.org/a?b=1", "www.example.net", "spam-shop.xyz/buy"]


def test_bare_video_link_is_link_only_and_held():
    result = assess("https://video.example/watch?v=abc123")
    assert result.link_only and result.verdict == HOLD
    assert assess("wow!! https://video.example/watch?v=abc").verdict == HOLD
    assert not is_link_only(
        ON_TOPIC + " https://example.org", find_links(ON_TOPIC + " https://example.org")
    )


def test_too_many_links_are_held():
    text = ON_TOPIC + " https://a.example.org https://b.example.org https://c.example.org"
    result = assess(text, max_links=2)
    assert result.too_many_links and result.verdict == HOLD
    assert assess(text, max_links=3).verdict == PUBLISH


def test_blocked_domain_is_spam_even_disguised():
    blocked = ["casino.example"]
    for text in [
        ON_TOPIC + " https://casino.example/win",
        ON_TOPIC + " https://www.CASINO.example",
        ON_TOPIC + " visit casino.example today",
        ON_TOPIC + " https://cаsino.example",  # Cyrillic а
        ON_TOPIC + " https://bonus.casino.example/",
    ]:
        assert assess(text, blocked_domains=blocked).verdict == SPAM, text
    assert (
        assess(ON_TOPIC + " https://notcasino.example", blocked_domains=blocked).verdict == PUBLISH
    )


def test_domain_helpers():
    assert domain_of("https://User@Sub.Example.ORG:8080/x") == "sub.example.org"
    assert domain_of("xn--pypal-4ve.com") == "pаypal.com"
    assert domain_matches("a.b.example.org", "example.org")
    assert not domain_matches("badexample.org", "example.org")
    assert is_lookalike_domain("pаypal.com")
    assert not is_lookalike_domain("example.org")
    assert not is_lookalike_domain("пример.рф")  # an honest Cyrillic domain


def test_lookalike_domain_is_held():
    result = assess(ON_TOPIC + " https://xn--pypal-4ve.com/login")
    assert result.lookalike_domains == ["pаypal.com"] and result.verdict == HOLD


def test_blocked_words_survive_disguises():
    words = ["viagra", "get rich"]
    assert words_found("cheap VIAGRA", words) == ["viagra"]
    assert words_found("cheap v1agr@", words) == ["viagra"]
    assert words_found("cheap vi\u200bagra", words) == ["viagra"]
    assert words_found("cheap víаgra", words) == ["viagra"]  # accent and Cyrillic а
    assert words_found("cheap v.i.a.g.r.a", words) == ["viagra"]
    assert words_found("how to GET   RICH fast", words) == ["get rich"]
    assert words_found("scunthorpe", ["cunt"]) == []  # whole words only
    assert assess("buy viagra " + ON_TOPIC, blocked_words=words).verdict == HOLD


def test_fingerprint_ignores_case_space_punctuation_and_tricks():
    assert fingerprint("Stop the arms trade!") == fingerprint("stop  THE arms\u200b trade")
    assert fingerprint("Stop the arms trade") == fingerprint("Ѕtop the arms trade.")
    assert fingerprint("Stop the arms trade") != fingerprint("Start the arms trade")


def test_near_duplicates():
    assert is_near_duplicate(ON_TOPIC, [ON_TOPIC.replace("everyone", "every one")])
    assert not is_near_duplicate(ON_TOPIC, ["Something else entirely, about the weather."])
    assert not is_near_duplicate("", [""])


@settings(max_examples=200)
@given(st.text(max_size=2000))
def test_assess_never_fails(text):
    result = assess(text, blocked_words=["spam"], blocked_domains=["example.com"])
    assert result.verdict in (PUBLISH, HOLD, SPAM)
