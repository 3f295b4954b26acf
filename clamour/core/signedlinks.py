"""Signed links: each made for one purpose, and expiring.

A token in a link (confirm an action, a comment or a treaty subscription; unsubscribe;
a thank-you or "comment received" page) or in a form (when the comment form was shown)
is made and read here, by the `SignedLink` its app declares once, as a module constant:

    CONFIRM = SignedLink("clamour.actions.confirm", max_age=confirmation_max_age)
    token = CONFIRM.make(submission.pk)
    pk = CONFIRM.read(token)  # None if not genuine; raises LinkExpired when too old

The value is signed with SECRET_KEY (Django's signing) under the purpose, which is the
salt, with the time the token was made. So a token made for one purpose never reads as
another's: each purpose is declared once (a second declaration is an error at import),
and a value of the wrong kind (a string where a number is expected) reads as not
genuine. A token is Django's `signing.dumps(value, salt=purpose)`, compressed or not,
so every link of that form in an email already sent keeps working.
"""

from collections.abc import Callable

from django.conf import settings
from django.core import signing

PURPOSES: dict[str, "SignedLink"] = {}


class LinkExpired(Exception):
    """A genuine link, made longer ago than its purpose allows."""


def confirmation_max_age() -> int:
    """How long a confirmation link works, in seconds (CONFIRMATION_MAX_AGE_DAYS)."""
    return settings.CONFIRMATION_MAX_AGE_DAYS * 86400


class SignedLink:
    """Tokens for one purpose.

    `max_age` is in seconds, or a function giving it (read at each use, so it follows
    the settings), or None for a link that must work for ever (the unsubscribe link in
    an old email). `kind` is the type of the value carried. `timestamped=False` makes
    tokens without a date (so they cannot expire) for values that are URL-safe text.
    """

    def __init__(self, purpose: str, *, max_age: int | Callable[[], int] | None,
                 kind: type = int, timestamped: bool = True):
        if purpose in PURPOSES:
            raise ValueError(f"the signed-link purpose {purpose!r} is declared twice")
        if not timestamped and max_age is not None:
            raise ValueError("a token without a date cannot expire")
        self.purpose = purpose
        self.max_age = max_age
        self.kind = kind
        self.timestamped = timestamped
        PURPOSES[purpose] = self

    def __repr__(self):
        return f"SignedLink({self.purpose!r})"

    def max_age_seconds(self) -> int | None:
        return self.max_age() if callable(self.max_age) else self.max_age

    def make(self, value) -> str:
        if not isinstance(value, self.kind):
            raise TypeError(f"{self.purpose} carries {self.kind.__name__}, not {value!r}")
        if not self.timestamped:
            return signing.Signer(salt=self.purpose).sign(value)
        return signing.dumps(value, salt=self.purpose, compress=True)

    def read(self, token: str):
        """The value `token` carries; None if it is not genuine (forged, cut short, made
        for another purpose, of the wrong kind). Raises LinkExpired when it is genuine
        but too old."""
        try:
            if not self.timestamped:
                value = signing.Signer(salt=self.purpose).unsign(token)
            else:
                value = signing.loads(token, salt=self.purpose, max_age=self.max_age_seconds())
        except signing.SignatureExpired:
            raise LinkExpired(self.purpose) from None
        except signing.BadSignature:
            return None
        if not isinstance(value, self.kind) or (self.kind is int and isinstance(value, bool)):
            return None
        return value

    def read_current(self, token: str):
        """The value, or None if the token is not genuine or has expired."""
        try:
            return self.read(token)
        except LinkExpired:
            return None
