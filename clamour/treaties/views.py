"""Public pages of the treaty tracker: the treaty with its scoreboard, a breakdown per
published draft, comparing any two published drafts, government positions on a map,
and subscribing to alerts. They read stored alignments; nothing is re-aligned per
request (a comparison nobody asked for before is computed once and stored)."""

from collections import Counter, defaultdict

from django.contrib.syndication.views import Feed
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from clamour.core.access import is_staff_member
from clamour.core.confirm import confirm_by_button
from clamour.core.texts import untranslated
from clamour.lib.countries import COUNTRIES, country_name, sort_key
from clamour.supporters.models import Supporter

from . import mail, tracker, worldmap
from .forms import CompareForm, SubscribeForm
from .models import (
    SUBSCRIBE_CONSENT_WORDING,
    AskAttachment,
    Draft,
    MatchGroup,
    Position,
    Provision,
    ProvisionLineage,
    Treaty,
    Verdict,
)
from .positions import latest_positions

STANCE_ORDER = [
    Position.Stance.OPPOSES,
    Position.Stance.UNDECIDED,
    Position.Stance.SUPPORTS,
    Position.Stance.UNKNOWN,
]


def get_treaty(request, slug) -> Treaty:
    treaty = Treaty.objects.select_related("campaign").filter(slug=slug).first()
    if treaty is None or not (treaty.is_public or is_staff_member(request.user)):
        raise Http404("No such treaty")
    return treaty.localised(get_language())


def published_drafts(treaty):
    # Through the related manager, so each draft knows its treaty without a query.
    return list(treaty.drafts.filter(published_at__isnull=False).order_by("date", "pk"))


def public_asks(treaty) -> list:
    """The treaty's asks, in the page's language where they are translated."""
    language = get_language()
    return [ask.localised(language) for ask in treaty.asks.all()]


def verdict_table(asks, drafts):
    """{(ask id, draft id): verdict} for the drafts, in one query, with their rationales
    in the page's language where translated."""
    language = get_language()
    return {
        (v.ask_id, v.draft_id): v.localised(language)
        for v in Verdict.objects.filter(draft__in=drafts, ask__in=asks)
    }


def texts_missing(request, *groups) -> bool:
    """Whether to tell staff that some of the tracker's texts on this page are not in
    its language yet (the public sees them in the tracker's own language)."""
    if not is_staff_member(request.user):
        return False
    return untranslated([item for group in groups for item in group
                         if getattr(item, "is_public", True)], get_language())


def loopholes_in(asks, draft, verdicts) -> int:
    return sum(
        1 for ask in asks if (v := verdicts.get((ask.pk, draft.pk))) is not None and v.is_loophole
    )


@require_safe
def treaty_list(request):
    language = get_language()
    treaties = [treaty.localised(language)
                for treaty in Treaty.objects.public().select_related("campaign")]
    return render(request, "treaties/index.html", {"treaties": treaties})


@require_safe
def treaty_detail(request, slug):
    treaty = get_treaty(request, slug)
    return render_treaty(request, treaty, SubscribeForm())


def render_treaty(request, treaty, form, status=200):
    drafts = published_drafts(treaty)
    asks = public_asks(treaty)
    verdicts = verdict_table(asks, drafts)
    latest = drafts[-1] if drafts else None
    scoreboard = [
        (ask, [(draft, verdicts.get((ask.pk, draft.pk))) for draft in drafts]) for ask in asks
    ]
    stances = (
        Counter(p.stance for p in latest_positions(Position.objects.filter(ask=asks[0])).values())
        if asks
        else Counter()
    )
    return render(
        request,
        "treaties/treaty.html",
        {
            "treaty": treaty,
            "drafts": list(reversed(drafts)),
            "timeline": drafts,
            "latest": latest,
            "asks": asks,
            "scoreboard": scoreboard,
            "texts_missing": texts_missing(request, [treaty], asks, verdicts.values()),
            "loopholes": loopholes_in(asks, latest, verdicts) if latest else None,
            "action_url": treaty.action_url(),
            "form": form,
            "first_ask": asks[0] if asks else None,
            "stances": [
                (s, Position.Stance(s).label, stances.get(s, 0))
                for s in STANCE_ORDER
                if stances.get(s)
            ],
        },
        status=status,
    )


def _sections(new_rows, groups, rows):
    """Group changes by part of the new text (preamble, principles, each article) for
    navigation; removed provisions go with their old article if it still exists."""
    sections, by_key = [], {}
    for row in new_rows:
        key = row.section_key
        if key not in by_key:
            if row.kind == Provision.Kind.PREAMBLE:
                title = _("Preamble")
            elif row.kind == Provision.Kind.PRINCIPLE:
                title = _("Principles")
            else:
                title = _("Article %(n)s") % {"n": row.article} + (
                    f" — {row.article_title}" if row.article_title else ""
                )
            by_key[key] = {
                "key": key,
                "title": title,
                "changes": [],
                "unchanged": 0,
                "renumbered": [],
            }
            sections.append(by_key[key])
    removed_elsewhere = {
        "key": "removed",
        "title": _("Removed from the text"),
        "changes": [],
        "unchanged": 0,
        "renumbered": [],
    }
    for g in groups:
        item = {
            "group": g,
            "old": [rows[i] for i in g.old_ids],
            "new": [rows[i] for i in g.new_ids],
        }
        section = by_key.get(g.section)
        if section is None:
            section = removed_elsewhere
        if g.kind == MatchGroup.Kind.UNCHANGED:
            section["unchanged"] += 1
        elif g.kind == MatchGroup.Kind.MOVED and not g.text_changed:
            section["renumbered"].append(item)
        else:
            section["changes"].append(item)
    if removed_elsewhere["changes"]:
        sections.append(removed_elsewhere)
    return sections


def changes_context(old, new):
    """Everything the changes part of a breakdown or comparison shows, in a few queries."""
    comp = tracker.comparison(old, new)
    groups = list(comp.groups.all())
    rows = {r.pk: r for r in Provision.objects.filter(draft__in=[old, new])}
    new_rows = sorted((r for r in rows.values() if r.draft_id == new.pk), key=lambda r: r.order)
    sections = _sections(new_rows, groups, rows)
    counts = Counter()
    for g in groups:
        counts[
            "renumbered" if g.kind == MatchGroup.Kind.MOVED and not g.text_changed else g.kind
        ] += 1
    summary = [
        (kind, label, counts[kind])
        for kind, label in (
            ("reworded", _("reworded")),
            ("moved", _("moved and reworded")),
            ("split", _("split")),
            ("merged", _("merged")),
            ("added", _("added")),
            ("removed", _("removed")),
            ("renumbered", _("renumbered only")),
            ("unchanged", _("unchanged")),
        )
        if counts[kind]
    ]
    return {
        "comparison": comp,
        "old": old,
        "new": new,
        "sections": sections,
        "new_rows": new_rows,
        "summary": summary,
        "changed_count": sum(
            n for kind, _l, n in summary if kind not in ("unchanged", "renumbered")
        ),
    }


def asks_by_provision(treaty, draft):
    """{provision id: [asks attached to it]} for one draft."""
    attachments = list(AskAttachment.objects.filter(ask__treaty=treaty).select_related("ask"))
    by_lineage = defaultdict(list)
    language = get_language()
    for a in attachments:
        by_lineage[a.lineage_id].append(a.ask.localised(language))
    found = defaultdict(list)
    for provision_id, lineage_id in ProvisionLineage.objects.filter(
        provision__draft=draft, lineage_id__in=list(by_lineage)
    ).values_list("provision_id", "lineage_id"):
        for ask in by_lineage[lineage_id]:
            if ask not in found[provision_id]:
                found[provision_id].append(ask)
    return found


def annotate_asks(sections, attached):
    for section in sections:
        for item in section["changes"] + section["renumbered"]:
            found = []
            for provision in item["new"]:
                found.extend(a for a in attached.get(provision.pk, []) if a not in found)
            item["asks"] = found


@require_safe
def breakdown(request, slug, draft_slug):
    treaty = get_treaty(request, slug)
    draft = get_object_or_404(treaty.drafts, slug=draft_slug)
    if not draft.is_published and not is_staff_member(request.user):
        raise Http404("Not published")
    drafts = published_drafts(treaty)
    if draft.is_published:
        earlier = [d for d in drafts if (d.date, d.pk) < (draft.date, draft.pk)]
        previous = earlier[-1] if earlier else None
    else:
        previous = draft.previous()
    asks = public_asks(treaty)
    verdicts = verdict_table(asks, [d for d in (draft, previous) if d])
    rows = [
        (
            ask,
            verdicts.get((ask.pk, draft.pk)),
            verdicts.get((ask.pk, previous.pk)) if previous else None,
        )
        for ask in asks
    ]
    context = {
        "treaty": treaty,
        "draft": draft,
        "previous": previous,
        "verdict_rows": rows,
        "texts_missing": texts_missing(request, asks, verdicts.values()),
        "loopholes": loopholes_in(asks, draft, verdicts),
        "action_url": treaty.action_url(),
        "compare_form": CompareForm(
            drafts=drafts, initial={"old": previous.slug if previous else "", "new": draft.slug}
        )
        if len(drafts) > 1
        else None,
    }
    if previous is not None:
        context.update(changes_context(previous, draft))
        annotate_asks(context["sections"], asks_by_provision(treaty, draft))
        new_rows = context["new_rows"]
    else:
        new_rows = draft.provisions.exclude(tracked_redline="", notes="").order_by("order")
    # Provisions carrying the draft's own tracked changes or footnotes.
    context["circulated"] = [r for r in new_rows if r.tracked_redline or r.notes]
    return render(request, "treaties/breakdown.html", context)


@require_safe
def compare(request, slug):
    treaty = get_treaty(request, slug)
    drafts = (
        published_drafts(treaty)
        if not is_staff_member(request.user)
        else list(treaty.drafts.order_by("date", "pk"))
    )
    form = CompareForm(request.GET or None, drafts=drafts)
    context = {"treaty": treaty, "compare_form": form}
    if form.is_valid():
        by_slug = {d.slug: d for d in drafts}
        old, new = by_slug[form.cleaned_data["old"]], by_slug[form.cleaned_data["new"]]
        if old.pk == new.pk:
            form.add_error("new", _("Choose two different drafts."))
        else:
            context.update(changes_context(old, new))
            annotate_asks(context["sections"], asks_by_provision(treaty, new))
    status = 400 if request.GET and not form.is_valid() else 200
    return render(request, "treaties/compare.html", context, status=status)


def _map_for(treaty, ask, latest):
    stances = {code: p.stance for code, p in latest.items()}
    language = get_language()
    labels = {code: f"{country_name(code, language)}: {p.get_stance_display()}"
              for code, p in latest.items()}
    links = {code: reverse("treaties:country", args=[treaty.slug, code]) for code in latest}
    counts = Counter(stances.values())
    description = "; ".join(
        f"{Position.Stance(s).label}: {counts[s]}" for s in STANCE_ORDER if counts[s]
    )
    return worldmap.render(
        stances=stances,
        labels=labels,
        links=links,
        title=_("Government positions on: %(ask)s") % {"ask": ask.title},
        description=description or _("No positions recorded yet."),
    )


@require_safe
def positions(request, slug):
    treaty = get_treaty(request, slug)
    asks = public_asks(treaty)
    if not asks:
        return render(request, "treaties/positions.html", {"treaty": treaty, "asks": []})
    ask = asks[0]
    wanted = request.GET.get("ask", "")
    if wanted:
        ask = next((a for a in asks if str(a.pk) == wanted), None)
        if ask is None:
            raise Http404("No such ask")
    latest = latest_positions(Position.objects.filter(ask=ask))
    table = sorted(latest.values(),
                   key=lambda p: (STANCE_ORDER.index(p.stance), sort_key(p.country_name)))
    counts = Counter(p.stance for p in table)
    # One click from a government that opposes to the action that writes to it (only where
    # the campaign's action has a contact for that government).
    writable = treaty.writable_countries()
    for p in table:
        p.action_url = (treaty.action_url(p.country)
                        if p.stance == Position.Stance.OPPOSES and p.country in writable else "")
    return render(
        request,
        "treaties/positions.html",
        {
            "treaty": treaty,
            "asks": asks,
            "ask": ask,
            "table": table,
            "texts_missing": texts_missing(request, [ask]),
            "map": _map_for(treaty, ask, latest),
            "legend": [(s, Position.Stance(s).label, counts.get(s, 0)) for s in STANCE_ORDER],
            "off_map": [p for p in table if not worldmap.on_map(p.country)],
            "action_url": treaty.action_url(),
        },
    )


@require_safe
def country(request, slug, code):
    treaty = get_treaty(request, slug)
    code = code.upper()
    if code not in COUNTRIES:
        raise Http404("No such country")
    asks = public_asks(treaty)
    history = defaultdict(list)
    for p in Position.objects.filter(ask__in=asks, country=code).order_by("-date", "-pk"):
        history[p.ask_id].append(p)
    rows = [
        (ask, history[ask.pk][0] if history[ask.pk] else None, history[ask.pk][1:]) for ask in asks
    ]
    opposes = any(p and p.stance == Position.Stance.OPPOSES for _a, p, _h in rows)
    targets = []
    campaign = treaty.campaign
    action = getattr(campaign, "action", None) if campaign else None
    if action is not None:
        targets = list(action.targets.filter(country=code))
    return render(
        request,
        "treaties/country.html",
        {
            "treaty": treaty,
            "code": code,
            "name": country_name(code, get_language()),
            "rows": rows,
            "texts_missing": texts_missing(request, asks),
            "opposes": opposes,
            "action_url": treaty.action_url(code) if targets else "",
            "targets": targets,
        },
    )


@require_POST
def subscribe(request, slug):
    treaty = get_treaty(request, slug)
    form = SubscribeForm(request.POST)
    if not form.is_valid():
        return render_treaty(request, treaty, form, status=400)
    # Someone new is written to in the language of the page they subscribed on.
    supporter = Supporter.objects.get_or_create_by_email(form.cleaned_data["email"], name="",
                                                         language=get_language())
    # Whoever typed the address has not shown it is theirs: the consent is recorded
    # when the owner confirms from the email (mail.confirm_subscription).
    mail.request_subscription(treaty, supporter)
    # The same answer whether or not the address was subscribed already: this page
    # must not tell a stranger who follows what.
    return redirect("treaties:subscribed", slug=treaty.slug)


@require_safe
def subscribed(request, slug):
    treaty = get_treaty(request, slug)
    return render(request, "treaties/subscribed.html", {"treaty": treaty})


@require_http_methods(["GET", "HEAD", "POST"])
def confirm_subscription(request, token):
    """GET shows a button; only the POST confirms, so link-following mail scanners can't."""

    def page(subscription, done=False):
        done = done or subscription.status == subscription.Status.CONFIRMED
        return render(
            request,
            "treaties/confirm.html",
            {"subscription": subscription, "treaty": subscription.treaty, "done": done,
             # What pressing the button agrees to, as mail.confirm_subscription records it.
             "consent_wording": SUBSCRIBE_CONSENT_WORDING},
        )

    def press(subscription):
        mail.confirm_subscription(subscription)
        return page(subscription, done=True)

    return confirm_by_button(
        request,
        token,
        find=mail.subscription_from_token,
        show=page,
        confirm=press,
        invalid={
            "again": _("Please subscribe again and we will send you a new one."),
            "back_url": reverse("treaties:index"),
            "back_label": _("See the treaty tracker"),
        },
    )


class BreakdownFeed(Feed):
    """Atom feed of published breakdowns: all treaties, or one."""

    feed_type = Atom1Feed

    def get_object(self, request, slug=None):
        if slug is None:
            return None
        treaty = Treaty.objects.filter(slug=slug, is_public=True).first()
        if treaty is None:
            raise Http404("No such treaty")
        return treaty

    def title(self, obj):
        return (
            _("%(title)s: draft breakdowns") % {"title": obj.title}
            if obj
            else _("Treaty tracker: draft breakdowns")
        )

    def link(self, obj):
        return obj.get_absolute_url() if obj else reverse("treaties:index")

    def subtitle(self, obj):
        return _("What changed in each new draft, and which of our asks are met.")

    def items(self, obj):
        qs = Draft.objects.filter(published_at__isnull=False, treaty__is_public=True)
        if obj is not None:
            qs = qs.filter(treaty=obj)
        return list(
            qs.select_related("treaty")
            .prefetch_related("verdicts__ask")
            .order_by("-published_at")[:50]
        )

    def item_title(self, item):
        return f"{item.treaty.title}: {item.label}"

    def item_description(self, item):
        verdicts = sorted(
            (v for v in item.verdicts.all() if v.is_public), key=lambda v: (v.ask.order, v.ask_id)
        )
        lines = [f"{v.ask.title}: {v.get_status_display()}" for v in verdicts]
        loopholes = sum(1 for v in verdicts if v.is_loophole)
        head = _("%(n)d loophole(s) remain.") % {"n": loopholes} if verdicts else ""
        return " ".join([head] + [line + "." for line in lines]).strip()

    def item_link(self, item):
        return item.get_absolute_url()

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.published_at

    def item_guid(self, item):
        return f"tag:clamour,treaty-draft:{item.pk}"

    item_guid_is_permalink = False
