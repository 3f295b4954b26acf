"""Judging a comment's text without any outside service: links, blocked words and
domains, look-alike domains, and duplicates.

`assess(text, …)` returns an `Assessment`: what it found and what should happen to
the comment ("publish" as far as the text goes, "hold" for a moderator, or "spam").
The comments app adds what needs the database (who wrote it, their history, the
blocklist) and makes the final decision. No Django imports here.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from .unicodetext import is_mixed_script, skeleton, unleet

PUBLISH, HOLD, SPAM = "publish", "hold", "spam"

# Top-level domains common enough in spam that a bare "name.tld" counts as a link.
BARE_TLDS = (
    "com|net|org|info|biz|io|co|ru|cn|xyz|top|ly|me|tv|gl|gd|us|uk|de|fr|nl|online|site|"
    "shop|club|link|click|live|store|app|dev|pro|win|vip|su|tk|ml|ga|cf|gq|be|to|cc|ws"
)
_URL = re.compile(
    r"(?:(?:https?|ftp)://|www\.)[^\s<>\"'()\[\]{}]+"
    r"|(?<![\w@.-])(?:[\w-]+\.)+(?:" + BARE_TLDS + r")\b(?:/[^\s<>\"'()\[\]{}]*)?",
    re.IGNORECASE,
)
_HOST = re.compile(r"^(?:(?:https?|ftp)://)?(?:[^@/\s]*@)?([^/:?#\s]+)", re.IGNORECASE)
_SPELT_OUT = re.compile(r"(?<!\w)\w(?:[\s.\-_*]+\w(?!\w)){2,}")
_SEPARATORS = re.compile(r"[\s.\-_*]+")
_WORD = re.compile(r"[^\W\d_]{2,}")


@dataclass
class Assessment:
    links: list[str] = field(default_factory=list)
    domains: list[str] = field(default_factory=list)
    link_only: bool = False
    too_many_links: bool = False
    blocked_words: list[str] = field(default_factory=list)
    blocked_domains: list[str] = field(default_factory=list)
    lookalike_domains: list[str] = field(default_factory=list)
    verdict: str = PUBLISH
    reasons: list[str] = field(default_factory=list)


def find_links(text: str) -> list[str]:
    """Web addresses in `text`: with a scheme, starting www., or a bare name.tld."""
    return [match.group(0).rstrip(".,;:!?") for match in _URL.finditer(text)]


def domain_of(link: str) -> str:
    """The host name of a link, lower-cased, with punycode (xn--) labels decoded."""
    match = _HOST.match(link.strip())
    if not match:
        return ""
    host = match.group(1).strip(".").lower()
    labels = []
    for label in host.split("."):
        if label.startswith("xn--"):
            try:
                label = label.encode("ascii").decode("idna")
            except (UnicodeError, ValueError):
                pass
        labels.append(label)
    return ".".join(labels)


def is_lookalike_domain(domain: str) -> bool:
    """True for a domain that imitates another: a label mixing scripts ("pаypal.com"
    with a Cyrillic а), or a non-ASCII name whose look-alike skeleton is plain ASCII."""
    if not domain:
        return False
    if any(is_mixed_script(label) for label in domain.split(".")):
        return True
    if domain.isascii():
        return False
    return skeleton(domain).isascii()


def domain_matches(domain: str, blocked: str) -> bool:
    """`domain` is `blocked` or one of its subdomains, comparing look-alike skeletons."""
    domain, blocked = skeleton(domain).strip("."), skeleton(blocked).strip(".")
    if not domain or not blocked:
        return False
    return domain == blocked or domain.endswith("." + blocked)


def words_found(text: str, words) -> list[str]:
    """Blocked words or phrases present in `text` as whole words, after folding case,
    look-alike letters, invisible characters, and digits standing for letters."""
    base = skeleton(text)
    variants = {base, unleet(base)}
    # Also catch words spelt out with separators: "s.p.a.m", "s p a m".
    variants.add(_SPELT_OUT.sub(lambda m: _SEPARATORS.sub("", m.group(0)), base))
    found = []
    for word in words:
        needle = skeleton(word)
        if not needle:
            continue
        pattern = re.compile(r"(?<!\w)" + re.escape(needle) + r"(?!\w)")
        if any(pattern.search(variant) for variant in variants):
            found.append(word)
    return found


def mentions_domain(folded_text: str, blocked: str) -> bool:
    """The (skeleton) text names `blocked` or a subdomain of it, link or not."""
    needle = skeleton(blocked).strip(".")
    if not needle:
        return False
    return (
        re.search(r"(?<![\w-])(?:[\w-]+\.)*" + re.escape(needle) + r"(?![\w-])", folded_text)
        is not None
    )


def is_link_only(text: str, links: list[str], min_words: int = 4) -> bool:
    """A comment that is a link and little else ("great video https://…")."""
    if not links:
        return False
    rest = _URL.sub(" ", text)
    return len(_WORD.findall(rest)) < min_words


def fingerprint(text: str) -> str:
    """The same for texts that differ only in case, spacing, punctuation, invisible
    characters or look-alike letters."""
    base = re.sub(r"[\W_]+", " ", skeleton(text)).strip()
    return hashlib.sha256(base.encode()).hexdigest()[:32]


def is_near_duplicate(text: str, others, threshold: float = 92.0) -> bool:
    """True when `text` is (nearly) the same as one of `others`."""
    base = skeleton(text)
    if not base:
        return False
    return any(fuzz.ratio(base, skeleton(other)) >= threshold for other in others if other)


def assess(text: str, *, max_links: int = 2, blocked_words=(), blocked_domains=()) -> Assessment:
    """What the text of a comment alone says about it."""
    result = Assessment()
    folded = skeleton(text)
    raw_links, folded_links = find_links(text), find_links(folded)
    result.links = raw_links if len(raw_links) >= len(folded_links) else folded_links
    domains = {domain_of(link) for link in raw_links + folded_links} - {""}
    result.domains = sorted(domains)
    result.link_only = is_link_only(text, raw_links) or is_link_only(folded, folded_links)
    result.too_many_links = len(result.links) > max_links
    result.blocked_words = words_found(text, blocked_words)
    result.blocked_domains = sorted(
        blocked
        for blocked in blocked_domains
        if any(domain_matches(domain, blocked) for domain in domains)
        or mentions_domain(folded, blocked)
    )
    result.lookalike_domains = sorted(
        d for d in {domain_of(link) for link in raw_links} if is_lookalike_domain(d)
    )

    if result.blocked_domains:
        result.verdict = SPAM
        result.reasons.append("blocked domain: " + ", ".join(result.blocked_domains))
    if result.blocked_words:
        result.reasons.append("blocked word: " + ", ".join(result.blocked_words))
    if result.lookalike_domains:
        result.reasons.append("look-alike domain: " + ", ".join(result.lookalike_domains))
    if result.link_only:
        result.reasons.append("only a link")
    if result.too_many_links:
        result.reasons.append(f"more than {max_links} links")
    if result.verdict != SPAM and result.reasons:
        result.verdict = HOLD
    return result
