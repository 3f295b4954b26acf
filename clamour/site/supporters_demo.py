"""Demo supporters: Sam wrote to their government and brought two friends, so the
demo's "My account" has something to show. Log in at /account/login/ as
sam@example.org; the link arrives in var/mail/. Safe to run again."""

from django.db import transaction

from clamour.actions.models import Action
from clamour.actions.submissions import confirm_submission, record_submission
from clamour.supporters.models import Supporter

DEMO_SUPPORTER = "sam@example.org"

PEOPLE = [
    ("Sam Demo", DEMO_SUPPORTER, "GB", "I have written before and will again: make it strong."),
    ("Ada Friend", "ada@example.org", "FR", ""),
    ("Kofi Friend", "kofi@example.org", "KE", ""),
]


@transaction.atomic
def load_demo() -> int:
    """Create the demo supporters if missing. Returns how many were created."""
    action = Action.objects.filter(campaign__slug="arms-trade-treaty").first()
    if action is None or Supporter.objects.filter(email=DEMO_SUPPORTER).exists():
        return 0
    ref = ""
    for name, email, country, extra in PEOPLE:
        submission = record_submission(action, {
            "name": name, "email": email, "country": country, "ref": ref,
            "subject": action.letter_subject,
            "body": action.letter_template + (f"\n{extra}\n" if extra else ""),
            "consent": True,
        })
        confirm_submission(submission)
        ref = ref or submission.supporter.referral_code
    return len(PEOPLE)
