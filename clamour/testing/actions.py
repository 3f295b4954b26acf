"""Submissions for tests: form data, a batch stored as the group-commit writer stores
it, rows made directly, and work started in threads at the same moment."""

import threading
from datetime import timedelta

from django.db import connection, transaction
from django.utils import timezone

from clamour.actions.models import Action, Submission, Target
from clamour.actions.submissions import record_submissions
from clamour.supporters.models import Supporter
from clamour.testing.factories import LETTER, add_target, make_campaign


def data(n, **overrides):
    values = {"name": f"Person {n}", "email": f"person{n}@example.net", "country": "GB",
              "subject": "A strong treaty", "body": LETTER, "consent": n % 2 == 0,
              "reply_to_ok": False, "ref": ""}
    values.update(overrides)
    return values


def store(action, batch):
    with transaction.atomic():
        return record_submissions(action, batch)


def submit(campaign, email, country="GB", status=Submission.Status.CONFIRMED, ago=timedelta(0),
           name="Sam", **fields):
    supporter = Supporter.objects.create(email=email, name=name, country=country)
    when = timezone.now() - ago
    return Submission.objects.create(
        action=campaign.action, supporter=supporter, name=name, email=email, country=country,
        consent_wording="?", status=status, created_at=when,
        confirmed_at=when if status == Submission.Status.CONFIRMED else None, **fields)


def in_threads(n, fn):
    """Run fn(i) in n threads released at the same moment; return their results."""
    barrier = threading.Barrier(n)
    results = [None] * n

    def run(i):
        try:
            barrier.wait()
            results[i] = fn(i)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


FRENCH_LETTER = {
    "title": "Écrivez à votre gouvernement", "intro": "",
    "letter_subject": "Un traité fort, {target_title}",
    "letter_template": "Veuillez défendre un traité fort qui couvre toutes les munitions.",
    "consent_wording": "Oui, tenez-moi informé de cette campagne par e-mail.",
}


def country_campaign():
    campaign = make_campaign(targeting=Action.Targeting.COUNTRY,
                             fallback=Action.Fallback.DEFAULT_TARGET)
    add_target(campaign, country="GB", is_default=True)
    add_target(campaign, country="FR", name="Camille Exemple", title="Ministre",
               email="fr@example.org")
    Target.objects.filter(country="FR").update(language="fr")
    Action.objects.filter(pk=campaign.action.pk).update(texts={"fr": FRENCH_LETTER})
    return campaign
