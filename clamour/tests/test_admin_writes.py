"""Every write the admin allows goes through the function the app uses for it, so no
rule is skipped: what is derived is shown read-only, and changes of state are admin
actions that call the app's own functions.

The first test lists, for every ModelAdmin in the project, what a superuser can edit
on an existing row; a field that becomes editable must be reviewed and added here.
"""

from datetime import date

import pytest
from django.contrib import admin
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core import mail
from django.test import RequestFactory
from django.urls import reverse

from clamour.actions.models import Delivery, Submission
from clamour.comments.models import Ban, BlockedTerm, Comment, Flag
from clamour.comments.threads import thread_for
from clamour.supporters.models import Supporter
from clamour.testing.factories import add_target, letter_post, make_campaign
from clamour.testing.treaties import SMALL_NEW, SMALL_OLD, add_draft, make_treaty
from clamour.treaties import tracker
from clamour.treaties.mail import confirm_subscription
from clamour.treaties.models import Draft, Subscription

pytestmark = pytest.mark.django_db

def in_other_languages(*names):
    """A text's copies in the other interface languages (plain texts, edited as such)."""
    return {f"{name}_{code}" for name in names for code in ("fr", "es", "ar")}


# model label → fields a superuser may change on an existing row (None: no change at all),
# and the same for each inline.
EDITABLE = {
    "actions.action": {"campaign", "kind", "title", "intro", "letter_subject", "letter_template",
                       "targeting", "fallback", "petition_text", "goal", "deadline", "closed",
                       "require_confirmation", "ask_postcode", "consent_wording"}
                      | in_other_languages("title", "intro", "letter_subject", "letter_template",
                                           "petition_text", "consent_wording"),
    "actions.target": {"name", "title", "email", "country", "is_default", "language"},
    "actions.submission": set(),
    "actions.delivery": set(),
    # Status: PostAdmin.save_model hands publishing to blog.publishing.publish_post, and
    # the form offers editors only (blog/tests/test_admin.py).
    "blog.post": {"title", "slug", "summary", "body", "status", "published_at", "campaign",
                  "authors", "tags"} | in_other_languages("title", "summary", "body"),
    "blog.postupdate": {"published_at", "title", "body"} | in_other_languages("title", "body"),
    "blog.postimage": {"file", "alt"},
    "blog.author": {"slug", "name", "user", "role", "bio"},
    "blog.tag": {"name", "slug"},
    "campaigns.campaign": {"title", "slug", "summary", "story", "status", "language"}
                          | in_other_languages("title", "summary", "story"),
    "campaigns.update": {"published_at", "title", "body"} | in_other_languages("title", "body"),
    "comments.thread": {"moderation", "closed"},
    "comments.comment": {"notify_replies"},
    "comments.flag": set(),
    "comments.blockedterm": {"kind", "value"},
    "comments.ban": {"reason"},
    "supporters.supporter": {"name", "country", "postcode", "language"},
    "supporters.consent": set(),
    "supporters.privacylogentry": None,
    "supporters.privacynotice": {"body"},
    "mailings.bouncedaddress": set(),
    "treaties.treaty": {"title", "slug", "description", "campaign", "is_public"}
                       | in_other_languages("title", "description"),
    "treaties.draft": {"label", "date", "summary"},
    "treaties.provision": {"pid", "kind", "label", "article", "article_title", "text"},
    "treaties.lineage": None,
    "treaties.comparison": None,
    "treaties.matchgroup": None,
    "treaties.correction": None,
    "treaties.ask": {"title", "description", "order"} | in_other_languages("title", "description"),
    "treaties.askattachment": None,
    "treaties.verdict": None,
    "treaties.position": {"ask", "country", "stance", "date", "source_url", "note"},
    "treaties.subscription": None,
    "treaties.breakdownalert": None,
}


def editable_fields(model_admin, request, obj):
    if not model_admin.has_change_permission(request, obj):
        return None
    fields = set(admin.utils.flatten_fieldsets(model_admin.get_fieldsets(request, obj)))
    parent = set()
    if isinstance(model_admin, admin.options.InlineModelAdmin):  # its link to the row
        parent = {f.name for f in model_admin.model._meta.fields
                  if f.is_relation and isinstance(obj, f.related_model or ())}
    return fields - set(model_admin.get_readonly_fields(request, obj)) - parent


def test_every_admin_edits_only_reviewed_fields(campaigner):
    request = RequestFactory().get("/admin/")
    request.user = campaigner
    seen = {}
    for model, model_admin in admin.site._registry.items():
        if not model.__module__.startswith("clamour."):
            continue
        obj = model()
        seen[model._meta.label_lower] = editable_fields(model_admin, request, obj)
        for inline in model_admin.get_inline_instances(request, obj):
            if inline.model.__module__.startswith("clamour."):
                seen[inline.model._meta.label_lower] = editable_fields(inline, request, obj)
    assert seen == EDITABLE


def changelist_action(client, model, action, pks):
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    return client.post(url, {"action": action, ACTION_CHECKBOX_NAME: [str(pk) for pk in pks]})


def test_confirming_a_submission_in_the_admin_sends_its_letter(campaigner_client, client,
                                                              run_tasks):
    campaign = make_campaign()
    add_target(campaign)
    from django.test import Client

    Client().post(reverse("actions:submit", args=[campaign.slug]), letter_post(campaign))
    run_tasks()  # the confirmation email
    submission = Submission.objects.get()
    assert submission.status == Submission.Status.PENDING
    # The change form cannot set the status by hand...
    url = reverse("admin:actions_submission_change", args=[submission.pk])
    campaigner_client.post(url, {"status": "confirmed", "name": "Changed"})
    submission.refresh_from_db()
    assert submission.status == Submission.Status.PENDING and submission.name == "Sam Supporter"
    # ...the action confirms it the way the supporter's link does: the letter goes out.
    mail.outbox.clear()
    response = changelist_action(campaigner_client, Submission, "confirm_selected",
                                 [submission.pk])
    assert response.status_code == 302
    submission.refresh_from_db()
    assert submission.status == Submission.Status.CONFIRMED and submission.confirmed_at
    run_tasks()
    assert Delivery.objects.get(submission=submission).status == Delivery.Status.SENT
    assert [m.to for m in mail.outbox] == [["Alex Example <foreign.secretary@example.org>"]]
    assert campaigner_client.get(reverse("admin:actions_submission_add")).status_code == 403


def test_publishing_a_draft_in_the_admin_alerts_subscribers(campaigner_client, run_tasks):
    treaty = make_treaty()
    draft = add_draft(treaty, SMALL_OLD, "July", date(2012, 7, 26))
    reader = Supporter.objects.create(email="reader@example.net", name="Reader")
    confirm_subscription(Subscription.objects.create(treaty=treaty, supporter=reader))
    url = reverse("admin:treaties_draft_change", args=[draft.pk])
    campaigner_client.post(url, {"label": "July", "date": "2012-07-26", "summary": "",
                                 "published_at_0": "2012-08-01", "published_at_1": "10:00:00",
                                 "provisions-TOTAL_FORMS": "0",
                                 "provisions-INITIAL_FORMS": "0"})
    draft.refresh_from_db()
    assert draft.published_at is None  # not a field one edits
    response = changelist_action(campaigner_client, Draft, "publish_selected", [draft.pk])
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.published_at is not None
    run_tasks()
    assert [m.to for m in mail.outbox] == [["reader@example.net"]]


def test_editing_a_provision_in_the_admin_aligns_again(campaigner_client):
    treaty = make_treaty()
    july = add_draft(treaty, SMALL_OLD, "July", date(2012, 7, 26))
    march = add_draft(treaty, SMALL_NEW, "March", date(2013, 3, 27))
    stale = tracker.comparison(july, march)
    provision = march.provisions.exclude(text="").order_by("order").last()
    url = reverse("admin:treaties_provision_change", args=[provision.pk])
    response = campaigner_client.post(url, {
        "pid": provision.pid, "kind": provision.kind, "label": provision.label,
        "article": provision.article, "article_title": provision.article_title,
        "text": provision.text + " Including widgets.",
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    fresh = tracker.comparison(july, march)
    assert fresh.pk != stale.pk  # the stored comparison was recomputed...
    redlines = "".join(fresh.groups.values_list("redline_html", flat=True))
    assert "widgets" in redlines  # ...from the edited text


def test_moderating_and_banning_in_the_admin_use_the_moderation_functions(campaigner_client,
                                                                          campaigner):
    campaign = make_campaign()
    thread = thread_for(campaign, create=True)
    person = Supporter.objects.create(email="pat@example.net", name="Pat")
    waiting = Comment.objects.create(thread=thread, supporter=person, name="Pat", body="Hi",
                                     status=Comment.Status.HIDDEN)
    Flag.objects.create(comment=waiting, flagger="someone", reason="spam")
    url = reverse("admin:comments_comment_change", args=[waiting.pk])
    campaigner_client.post(url, {"status": "published", "notify_replies": ""})
    waiting.refresh_from_db()
    assert waiting.status == Comment.Status.HIDDEN  # not by the change form
    changelist_action(campaigner_client, Comment, "approve_selected", [waiting.pk])
    waiting.refresh_from_db()
    assert waiting.status == Comment.Status.PUBLISHED and waiting.moderated_by == campaigner
    assert not Flag.objects.filter(resolved_at=None).exists()
    # A ban made in the admin takes down what the person has showing, as the queue's does.
    response = campaigner_client.post(reverse("admin:comments_ban_add"),
                                      {"supporter": person.pk, "reason": "abuse"})
    assert response.status_code == 302
    assert Ban.objects.get().banned_by == campaigner
    waiting.refresh_from_db()
    assert waiting.status == Comment.Status.REJECTED
    # A blocked term added in the admin is cleaned and signed as in the moderators' page.
    campaigner_client.post(reverse("admin:comments_blockedterm_add"),
                           {"kind": "domain", "value": "https://Spam.Example/path"})
    term = BlockedTerm.objects.get()
    assert term.value == "spam.example" and term.added_by == campaigner


def test_supporters_are_not_added_or_deleted_in_the_admin(campaigner_client):
    person = Supporter.objects.create(email="pat@example.net", name="Pat")
    assert campaigner_client.get(reverse("admin:supporters_supporter_add")).status_code == 403
    response = campaigner_client.get(reverse("admin:supporters_supporter_delete",
                                             args=[person.pk]))
    assert response.status_code == 403
    assert Supporter.objects.filter(pk=person.pk).exists()
