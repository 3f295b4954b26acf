"""The demo: two campaigns about the 2012 Arms Trade Treaty negotiations.

Written for Clamour; all addresses are fictional (example.org). Loading is idempotent:
running it again changes nothing, except that a deadline that has passed is moved a
few days ahead so the demo always shows a live campaign.
"""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from clamour.actions.models import Action, Target
from clamour.blog.demo import load_demo as load_blog_demo
from clamour.campaigns.models import Campaign, Update
from clamour.site.supporters_demo import load_demo as load_supporters_demo
from clamour.treaties.demo import SLUG as TREATY_SLUG
from clamour.treaties.demo import load_treaty_demo
from clamour.treaties.models import Ask, Treaty, Verdict

from .demo_texts import ATT_ACTION, ATT_ASKS, ATT_CAMPAIGN, ATT_RATIONALES, ATT_TREATY
from .demo_texts import ATT_UPDATES as ATT_UPDATE_TEXTS

ATT_STORY = """\
Every minute, somewhere in the world, a person is killed by armed violence. Bullets,
rifles and grenades cross borders with fewer rules than bananas or MP3 players: there
is no global treaty that stops weapons going to governments and groups who will use
them to commit atrocities.

This month, for the first time, the world's governments are meeting at the United
Nations in New York to write one. **An Arms Trade Treaty could save lives for decades**,
but only if it is strong. A weak treaty would give the arms trade a seal of approval.

## What a strong treaty needs

- **All weapons and all ammunition covered.** A treaty that controls guns but not
  bullets will not stop the killing.
- **A binding human-rights test.** No transfer where there is a substantial risk the
  arms will be used for serious violations of human rights or humanitarian law.
- **No loopholes** for gifts, loans and "defence cooperation" deals.

## Why your letter matters

Negotiators read their post. When thousands of people write to one government in a
single day, that government arrives at the negotiating table knowing its voters are
watching. It takes just four minutes.
"""

ATT_LETTER = """\
I am writing to ask you to stand firm for a strong Arms Trade Treaty in the final days of the negotiations in New York.

Irresponsible arms transfers fuel atrocities, conflict and poverty. A treaty that covers guns but not the ammunition that makes them deadly, or that lets governments ignore the risk of serious human-rights violations, would fail the people it is meant to protect.

Please make sure the final text:
- covers all conventional weapons, including small arms and all ammunition;
- requires governments to refuse transfers where there is a substantial risk of serious violations of human rights or international humanitarian law;
- closes the loopholes for gifts, loans and defence-cooperation agreements.

The world will judge this treaty by the lives it saves. I hope you will make sure it is a strong one.
"""

ATT_UPDATES = [
    (3, "The negotiations open",
     "Delegations from more than 170 countries have arrived in New York. Many governments "
     "say they want a strong treaty; a handful are already arguing for exemptions."),
    (2, "A new draft text: two loopholes remain",
     "The chair has circulated a new draft. It now includes a human-rights test, but "
     "**ammunition is only partly covered** and deals made under **defence-cooperation "
     "agreements would be exempt**. Our policy team's full breakdown is on the treaty tracker."),
    (1, "Your letters are arriving",
     "Thank you. Within a day of our appeal, your letters were reaching the Foreign "
     "Secretary, and the UK delegation has since called for ammunition to be fully "
     "covered. There are only days to go: please keep writing, and ask a friend to join you."),
]

# (country, name, title, email)
ATT_TARGETS = [
    ("GB", "Alex Example", "Foreign Secretary", "foreign.secretary@example.org"),
    ("FR", "Camille Exemple", "Minister for Europe and Foreign Affairs", "ministre.affaires-etrangeres@example.org"),
    ("DE", "Jona Beispiel", "Federal Foreign Minister", "aussenminister@example.org"),
    ("US", "Jordan Example", "Secretary of State", "secretary.of.state@example.org"),
    ("BR", "Rafa Exemplo", "Minister of Foreign Affairs", "chanceler@example.org"),
    ("KE", "Amani Mfano", "Cabinet Secretary for Foreign Affairs", "foreign.affairs.ke@example.org"),
    ("IN", "Asha Udaharan", "Minister of External Affairs", "external.affairs.in@example.org"),
    ("MX", "Sol Ejemplo", "Secretary of Foreign Affairs", "relaciones.exteriores@example.org"),
]

PETITION_STORY = """\
The latest draft of the Arms Trade Treaty controls the export of weapons but leaves
ammunition in a weaker, separate rule. Without bullets, guns are useless; with them,
they kill. We are asking every delegation in New York to close the ammunition loophole
before the treaty is adopted.
"""

PETITION_TEXT = """\
We, the undersigned, call on all governments negotiating the Arms Trade Treaty to
apply the same export controls to ammunition as to the weapons that fire it.
"""


def _deadline(days):
    return timezone.now() + timedelta(days=days)


@transaction.atomic
def load_demo() -> dict:
    """Create the demo campaigns if they are missing. Returns what was created."""
    created = {"campaigns": 0}
    att, made = Campaign.objects.get_or_create(
        slug="arms-trade-treaty",
        defaults={
            "title": "Days left to stop the arms trade loopholes",
            "summary": "Governments are writing the first global Arms Trade Treaty right now. "
                       "Tell them to make it strong: it takes four minutes.",
            "story": ATT_STORY,
            "status": Campaign.Status.LIVE,
        },
    )
    if made:
        created["campaigns"] += 1
        now = timezone.now()
        for days_ago, title, body in ATT_UPDATES:
            Update.objects.create(campaign=att, title=title, body=body,
                                  published_at=now - timedelta(days=days_ago))
        action = Action.objects.create(
            campaign=att, kind=Action.Kind.LETTER, title="Write to your government",
            intro="Your letter goes to your own government's foreign minister. "
                  "If we have no contact for your country yet, it goes to the UK Foreign "
                  "Secretary, whose delegation is pushing for a strong text.",
            letter_subject="Please stand firm for a strong Arms Trade Treaty",
            letter_template=ATT_LETTER, goal=15000, deadline=_deadline(4),
            require_confirmation=True, targeting=Action.Targeting.COUNTRY,
            fallback=Action.Fallback.DEFAULT_TARGET,
        )
        for country, name, title, email in ATT_TARGETS:
            Target.objects.create(action=action, country=country, name=name, title=title,
                                  email=email, is_default=(country == "GB"))

    # Its texts in the other languages (also added to a demo made before they existed).
    if not att.texts:
        Campaign.objects.filter(pk=att.pk).update(texts=ATT_CAMPAIGN)
        Action.objects.filter(campaign=att, texts={}).update(texts=ATT_ACTION)
        # Ministers written to in their own language (where the demo has the letter in it).
        for country, language in (("FR", "fr"), ("MX", "es")):
            Target.objects.filter(action__campaign=att, country=country).update(language=language)

    for title, texts in ATT_UPDATE_TEXTS.items():
        Update.objects.filter(campaign=att, title=title, texts={}).update(texts=texts)

    petition, made = Campaign.objects.get_or_create(
        slug="close-the-ammunition-loophole",
        defaults={
            "title": "Close the ammunition loophole",
            "summary": "Guns without bullets are useless. Ask every delegation to control "
                       "ammunition like the weapons that fire it.",
            "story": PETITION_STORY,
            "status": Campaign.Status.LIVE,
        },
    )
    if made:
        created["campaigns"] += 1
        Action.objects.create(
            campaign=petition, kind=Action.Kind.PETITION, title="Sign the petition",
            petition_text=PETITION_TEXT, goal=25000, deadline=_deadline(6),
            require_confirmation=True,
        )

    # Keep the demo live: move a passed deadline a few days ahead.
    for action in Action.objects.filter(campaign__slug__in=[att.slug, petition.slug]):
        if action.deadline and action.deadline <= timezone.now():
            action.deadline = _deadline(4)
            action.save(update_fields=["deadline"])
    created["supporters"] = load_supporters_demo()
    created.update(load_treaty_demo())
    translate_treaty_demo()
    created.update(load_blog_demo())  # blog posts and comments
    return created


def translate_treaty_demo() -> None:
    """The tracker's name, introduction, asks and verdict rationales in French, Spanish
    and Arabic (also added to a demo made before they existed; translations made since
    are kept)."""
    Treaty.objects.filter(slug=TREATY_SLUG, texts={}).update(texts=ATT_TREATY)
    for title, texts in ATT_ASKS.items():
        Ask.objects.filter(treaty__slug=TREATY_SLUG, title=title, texts={}).update(texts=texts)
    for rationale, texts in ATT_RATIONALES.items():
        Verdict.objects.filter(ask__treaty__slug=TREATY_SLUG, rationale=rationale, texts={}).update(
            texts={code: {"rationale": text} for code, text in texts.items()})
