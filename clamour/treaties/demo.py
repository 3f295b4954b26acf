"""Demo data for the treaty tracker: the Arms Trade Treaty, three drafts, five asks with
verdicts, and government positions, linked to the `arms-trade-treaty` campaign.

The final text is the real 2013 treaty (data/att-2013-final.md). The two earlier drafts
(data/att-2012-07-illustrative.md, data/att-2013-03-illustrative.md) were written for
this demo by editing that text: they are ILLUSTRATIVE, not real historical drafts, and
say so in their labels and on their pages. The positions are illustrative too.

Loading is idempotent: once the treaty has drafts, nothing is changed.
"""

from datetime import UTC, date, datetime, time
from pathlib import Path

from django.db import transaction

from clamour.campaigns.models import Campaign
from clamour.lib.alignment import parse_text

from . import tracker
from .models import Ask, AskAttachment, Draft, Position, Treaty, Verdict

DATA = Path(__file__).resolve().parent / "data"
SLUG = "arms-trade-treaty"

ILLUSTRATIVE = (
    "*Illustrative draft written for the Clamour demo.* It was made by editing the final "
    "2013 text of the Arms Trade Treaty; it is not a real negotiating text. "
)

DRAFTS = [
    (
        "att-2012-07-illustrative.md",
        "Chair's draft, 26 July 2012 (illustrative)",
        date(2012, 7, 26),
        ILLUSTRATIVE
        + "In this version ammunition exports are only monitored, deals under defence-cooperation "
        "agreements escape the export assessment, and gender-based violence is not mentioned.",
    ),
    (
        "att-2013-03-illustrative.md",
        "Draft decision text, 27 March 2013 (illustrative)",
        date(2013, 3, 27),
        ILLUSTRATIVE
        + "The defence-cooperation exemption has moved to Article 26 and lost its worst part; "
        "a gender-based-violence test appears, but only as something States *may* consider.",
    ),
    (
        "att-2013-final.md",
        "Final text, adopted 2 April 2013",
        date(2013, 4, 2),
        "The Arms Trade Treaty as adopted by the UN General Assembly (A/RES/67/234 B). This is the real text.",
    ),
]

# key: (title, why, [(draft index, provision id) to attach])
ASKS = {
    "ammunition": (
        "All ammunition under the same export criteria",
        "Guns without bullets are useless. Ammunition must face the same prohibitions and the same "
        "risk assessment as the weapons that fire it.",
        [(0, "3")],
    ),
    "human-rights": (
        "A binding human-rights test",
        "No export where there is an overriding risk of serious violations of human rights or "
        "humanitarian law — a rule, not something to “consider”.",
        [(0, "7.1"), (0, "7.3")],
    ),
    "defence-cooperation": (
        "No exemption for defence-cooperation agreements",
        "Deals between allies must not escape the treaty's tests.",
        [(0, "5.2")],
    ),
    "gender-based-violence": (
        "Assess the risk of gender-based violence",
        "Exporters must take into account the risk that arms are used for gender-based "
        "violence or violence against women and children.",
        [(1, "7.4")],
    ),
    "small-arms": (
        "Small arms and light weapons in the scope",
        "Most people killed in armed violence are killed with small arms.",
        [(0, "2.1")],
    ),
}

MET, PARTLY, NOT_MET = Verdict.Status.MET, Verdict.Status.PARTLY, Verdict.Status.NOT_MET
VERDICTS = {
    "ammunition": [
        (
            NOT_MET,
            "Ammunition exports are only monitored; none of the export criteria apply to them.",
        ),
        (
            PARTLY,
            "Ammunition exports must respect the prohibitions of Article 6, but escape the risk "
            "assessment of Article 7.",
        ),
        (
            PARTLY,
            "Ammunition exports now face Articles 6 and 7, but the import, transit and brokering of "
            "ammunition are still outside the treaty.",
        ),
    ],
    "human-rights": [
        (
            PARTLY,
            "Exporters must assess the risk of serious human-rights violations, but then only "
            "“consider whether” to authorise the export.",
        ),
        (
            MET,
            "An overriding risk of serious violations now means the export shall not be authorised.",
        ),
        (MET, "Unchanged: an overriding risk means no export."),
    ],
    "defence-cooperation": [
        (
            NOT_MET,
            "Article 5(2) takes transfers under defence-cooperation agreements out of the export "
            "assessment altogether.",
        ),
        (
            PARTLY,
            "Moved to Article 26(2) and the exemption from Article 7 is gone, but existing contracts are "
            "protected from the treaty.",
        ),
        (
            PARTLY,
            "Article 26(2) still says the treaty cannot be used to void defence-cooperation agreements; "
            "we will watch how States read it.",
        ),
    ],
    "gender-based-violence": [
        (NOT_MET, "Gender-based violence is not mentioned."),
        (
            PARTLY,
            "New Article 7(4): States “may” take the risk into account, so they may also ignore it.",
        ),
        (MET, "Article 7(4) now says States “shall” take the risk into account."),
    ],
    "small-arms": [
        (MET, "Small arms and light weapons are in the scope (Article 2(1)(h))."),
        (MET, "Unchanged."),
        (MET, "Unchanged."),
    ],
}

# Illustrative positions: (country, {ask: stance}, date)
SUP, OPP, UND, UNK = (
    Position.Stance.SUPPORTS,
    Position.Stance.OPPOSES,
    Position.Stance.UNDECIDED,
    Position.Stance.UNKNOWN,
)
POSITIONS = [
    ("GB", {"ammunition": SUP, "human-rights": SUP, "defence-cooperation": SUP}, date(2013, 3, 25)),
    ("FR", {"ammunition": SUP, "human-rights": SUP, "defence-cooperation": UND}, date(2013, 3, 25)),
    ("DE", {"ammunition": SUP, "human-rights": SUP, "defence-cooperation": SUP}, date(2013, 3, 26)),
    ("MX", {"ammunition": SUP, "human-rights": SUP, "defence-cooperation": SUP}, date(2013, 3, 26)),
    ("KE", {"ammunition": SUP, "human-rights": SUP}, date(2013, 3, 26)),
    ("NG", {"ammunition": SUP, "human-rights": SUP}, date(2013, 3, 27)),
    ("NZ", {"ammunition": SUP, "human-rights": SUP, "defence-cooperation": SUP}, date(2013, 3, 27)),
    ("BR", {"ammunition": UND, "human-rights": SUP}, date(2013, 3, 27)),
    ("ZA", {"ammunition": UND, "human-rights": SUP}, date(2013, 3, 27)),
    ("JP", {"ammunition": UND, "human-rights": SUP}, date(2013, 3, 28)),
    ("US", {"ammunition": OPP, "human-rights": SUP, "defence-cooperation": UND}, date(2013, 3, 28)),
    ("IN", {"ammunition": OPP, "human-rights": UND, "defence-cooperation": OPP}, date(2013, 3, 28)),
    ("EG", {"ammunition": OPP, "human-rights": OPP}, date(2013, 3, 28)),
    ("CN", {"ammunition": OPP, "human-rights": UND}, date(2013, 3, 28)),
    ("RU", {"ammunition": OPP, "human-rights": OPP, "defence-cooperation": OPP}, date(2013, 3, 28)),
    ("AU", {"ammunition": UNK}, date(2013, 3, 28)),
]

DESCRIPTION = """\
In July 2012 and March 2013 the world's governments met at the United Nations to write the
first global treaty on the arms trade. Our policy team read every new draft within hours:
what changed, which of our asks are met, and which loopholes remain.

*Demo data: the two earlier drafts shown here are illustrative, made by editing the final
2013 text; only the final text is real. Government positions are illustrative too.*
"""


@transaction.atomic
def load_treaty_demo() -> dict:
    campaign = Campaign.objects.filter(slug=SLUG).first()
    treaty, _made = Treaty.objects.get_or_create(
        slug=SLUG,
        defaults={
            "title": "The Arms Trade Treaty",
            "description": DESCRIPTION,
            "campaign": campaign,
            "is_public": True,
        },
    )
    if treaty.drafts.exists():
        return {"treaty drafts": 0}
    asks = {}
    for order, (key, (title, why, _attach)) in enumerate(ASKS.items()):
        asks[key] = Ask.objects.create(treaty=treaty, title=title, description=why, order=order)
    drafts = []
    for index, (filename, label, day, summary) in enumerate(DRAFTS):
        text = (DATA / filename).read_text(encoding="utf-8")
        draft = tracker.create_draft(
            treaty,
            label=label,
            date=day,
            doc=parse_text(text),
            summary=summary,
            source_kind=Draft.Source.MARKDOWN,
            source_name=filename,
            source_text=text,
            source_size=len(text.encode()),
        )
        drafts.append(draft)
        for key, (_title, _why, attach) in ASKS.items():
            for draft_index, pid in attach:
                if draft_index == index:
                    provision = draft.provisions.get(pid=pid)
                    AskAttachment.objects.get_or_create(
                        ask=asks[key],
                        lineage_id=provision.lineage_id,
                        defaults={"attached_in": draft},
                    )
        for key, verdicts in VERDICTS.items():
            status, rationale = verdicts[index]
            Verdict.objects.update_or_create(
                ask=asks[key],
                draft=draft,
                defaults={
                    "status": status,
                    "rationale": rationale,
                    "origin": Verdict.Origin.ANALYST,
                    "review_note": "",
                },
            )
        published = datetime.combine(day, time(18, 0), tzinfo=UTC)
        Draft.objects.filter(pk=draft.pk).update(published_at=published)
    for country, stances, day in POSITIONS:
        for key, stance in stances.items():
            Position.objects.get_or_create(
                ask=asks[key],
                country=country,
                date=day,
                defaults={
                    "stance": stance,
                    "note": "Illustrative position for the demo.",
                    "source_url": f"https://example.org/att-positions/{country.lower()}",
                },
            )
    return {"treaty drafts": len(drafts)}
