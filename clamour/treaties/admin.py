"""Every treaty-tracker model in the Django admin. The analyst's own pages
(/treaties/staff/) are where the work is done; the admin is for inspection and repair.

Writes here go through the same forms and tracker functions as the analyst's pages:
a draft's date or a provision's text saved here aligns again, publishing queues the
subscribers' alerts. What the tracker derives (lineages, comparisons, corrections,
verdicts, attachments, alerts) and what supporters start (subscriptions) is shown, not
edited: it changes only through the analyst's pages or the flows that own it.
"""

from django.conf import settings
from django.contrib import admin, messages
from django.db import transaction
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from clamour.core.texts import texts_fieldsets

from . import tracker
from .forms import ASK_TEXTS, TREATY_TEXTS, AskForm, DraftForm, ProvisionForm, TreatyForm
from .models import (
    PUBLIC_TEXTS_LANGUAGE,
    Ask,
    AskAttachment,
    BreakdownAlert,
    Comparison,
    Correction,
    Draft,
    Lineage,
    MatchGroup,
    Position,
    Provision,
    Subscription,
    Treaty,
    Verdict,
)


class ShownNotEdited:
    """An admin page that shows rows and changes nothing."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Treaty)
class TreatyAdmin(admin.ModelAdmin):
    form = TreatyForm
    list_display = ["title", "slug", "campaign", "is_public", "missing_texts", "analyst_pages"]
    list_filter = ["is_public"]
    search_fields = ["title", "slug"]
    prepopulated_fields = {"slug": ["title"]}

    def get_fieldsets(self, request, obj=None):
        return [(None, {"fields": ["title", "slug", "description", "campaign", "is_public"]})] + (
            texts_fieldsets(TREATY_TEXTS, PUBLIC_TEXTS_LANGUAGE,
                            lambda code: obj is not None and obj.has_texts_in(code)))

    @admin.display(description=_("Languages without texts"))
    def missing_texts(self, obj):
        missing = obj.missing_languages()
        return ", ".join(dict(settings.LANGUAGES)[code] for code in missing) or "—"

    @admin.display(description=_("analyst pages"))
    def analyst_pages(self, obj):
        return format_html(
            '<a href="{}">{}</a>', reverse("treaties:staff_treaty", args=[obj.slug]), _("open")
        )


class CorrectedHere(admin.ModelAdmin):
    """Rows made on the analyst's pages, never added or deleted in the admin; an edit
    saved here is followed, in the same transaction, by the tracker function `edited`
    (it aligns again), as the analyst's own form is."""

    edited = None  # staticmethod(tracker.…_edited): called with the row and the changed fields

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            self.edited(obj, form.changed_data)


class ProvisionInline(ShownNotEdited, admin.TabularInline):
    model = Provision
    extra = 0
    fields = ["order", "pid", "kind", "label", "article", "text", "lineage"]
    readonly_fields = fields
    show_change_link = True


@admin.register(Draft)
class DraftAdmin(CorrectedHere):
    """Drafts are added by uploading on the analyst's pages (parsed and aligned there)."""

    form = DraftForm
    edited = staticmethod(tracker.draft_edited)
    list_display = ["label", "treaty", "date", "source_kind", "published_at", "created_at"]
    list_filter = ["treaty", "source_kind"]
    search_fields = ["label"]
    fields = ["treaty", "label", "date", "summary", "published_at", "source_kind", "source_name",
              "source_size", "source_sha256", "created_at", "created_by"]
    readonly_fields = ["treaty", "published_at", "source_kind", "source_name", "source_size",
                       "source_sha256", "created_at", "created_by"]
    inlines = [ProvisionInline]
    actions = ["publish_selected", "unpublish_selected"]

    @admin.action(description=_("Publish the selected breakdowns (subscribers are alerted)"),
                  permissions=["change"])
    def publish_selected(self, request, queryset):
        count = sum(tracker.publish(draft) for draft in queryset)
        self.message_user(request, ngettext("%d breakdown published.", "%d breakdowns published.",
                                            count) % count, messages.SUCCESS)

    @admin.action(description=_("Take the selected breakdowns off the public site"),
                  permissions=["change"])
    def unpublish_selected(self, request, queryset):
        drafts = list(queryset.filter(published_at__isnull=False))
        for draft in drafts:
            tracker.unpublish(draft)
        self.message_user(request, ngettext("%d breakdown taken down.", "%d breakdowns taken down.",
                                            len(drafts)) % len(drafts), messages.SUCCESS)


@admin.register(Provision)
class ProvisionAdmin(CorrectedHere):
    """Provisions are split and merged on the analyst's pages; here one can be corrected."""

    form = ProvisionForm
    edited = staticmethod(tracker.provision_edited)
    list_display = ["pid", "draft", "kind", "article", "order", "lineage"]
    list_filter = ["draft__treaty", "kind"]
    search_fields = ["pid", "text"]
    fields = ["draft", "order", "pid", "kind", "label", "article", "article_title", "text",
              "lineage"]
    readonly_fields = ["draft", "order", "lineage"]


@admin.register(Lineage)
class LineageAdmin(ShownNotEdited, admin.ModelAdmin):
    list_display = ["pk", "treaty", "first_draft", "created_at"]
    list_filter = ["treaty"]


class MatchGroupInline(ShownNotEdited, admin.TabularInline):
    model = MatchGroup
    extra = 0
    fields = ["order", "kind", "score", "pinned", "old_ids", "new_ids", "text_changed"]
    readonly_fields = fields


@admin.register(Comparison)
class ComparisonAdmin(ShownNotEdited, admin.ModelAdmin):
    list_display = ["pk", "treaty", "old_draft", "new_draft", "computed_at", "seconds"]
    list_filter = ["treaty"]
    inlines = [MatchGroupInline]


@admin.register(MatchGroup)
class MatchGroupAdmin(ShownNotEdited, admin.ModelAdmin):
    list_display = ["pk", "comparison", "kind", "score", "pinned", "old_ids", "new_ids"]
    list_filter = ["kind", "pinned"]


@admin.register(Correction)
class CorrectionAdmin(ShownNotEdited, admin.ModelAdmin):
    list_display = [
        "pk",
        "treaty",
        "kind",
        "old_draft",
        "new_draft",
        "old_ids",
        "new_ids",
        "created_by",
        "created_at",
    ]
    list_filter = ["treaty", "kind"]


class AskAttachmentInline(ShownNotEdited, admin.TabularInline):
    model = AskAttachment
    extra = 0
    fields = ["lineage", "attached_in", "reviewed_in", "note"]
    readonly_fields = fields


@admin.register(Ask)
class AskAdmin(admin.ModelAdmin):
    form = AskForm
    list_display = ["title", "treaty", "order", "missing_texts"]
    list_filter = ["treaty"]
    inlines = [AskAttachmentInline]

    def get_fieldsets(self, request, obj=None):
        return [(None, {"fields": ["treaty", "title", "description", "order"]})] + texts_fieldsets(
            ASK_TEXTS, PUBLIC_TEXTS_LANGUAGE,
            lambda code: obj is not None and obj.has_texts_in(code))

    @admin.display(description=_("Languages without texts"))
    def missing_texts(self, obj):
        missing = obj.missing_languages()
        return ", ".join(dict(settings.LANGUAGES)[code] for code in missing) or "—"

    def get_readonly_fields(self, request, obj=None):
        return ["treaty"] if obj is not None else []


@admin.register(AskAttachment)
class AskAttachmentAdmin(ShownNotEdited, admin.ModelAdmin):
    list_display = ["ask", "lineage", "attached_in", "reviewed_in", "created_at"]


@admin.register(Verdict)
class VerdictAdmin(ShownNotEdited, admin.ModelAdmin):
    list_display = ["ask", "draft", "status", "origin", "updated_at"]
    list_filter = ["status", "origin", "draft__treaty"]


@admin.register(Position)
class PositionAdmin(admin.ModelAdmin):
    list_display = ["country", "ask", "stance", "date", "source_url"]
    list_filter = ["stance", "ask__treaty", "ask"]
    search_fields = ["country", "note"]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "source_url":
            kwargs["assume_scheme"] = "https"  # as on the analyst's position form
        return super().formfield_for_dbfield(db_field, request, **kwargs)


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    """Started and confirmed by the supporter; staff may only remove one."""

    list_display = ["supporter", "treaty", "status", "created_at", "confirmed_at"]
    list_filter = ["status", "treaty"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(BreakdownAlert)
class BreakdownAlertAdmin(ShownNotEdited, admin.ModelAdmin):
    list_display = ["draft", "subscription", "status", "sent_at"]
    list_filter = ["status"]
