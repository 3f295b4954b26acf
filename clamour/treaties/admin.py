"""Every treaty-tracker model in the Django admin. The analyst's own pages
(/treaties/staff/) are where the work is done; the admin is for inspection and repair."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from .models import (
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


@admin.register(Treaty)
class TreatyAdmin(admin.ModelAdmin):
    list_display = ["title", "slug", "campaign", "is_public", "analyst_pages"]
    list_filter = ["is_public"]
    search_fields = ["title", "slug"]
    prepopulated_fields = {"slug": ["title"]}

    @admin.display(description=_("analyst pages"))
    def analyst_pages(self, obj):
        return format_html(
            '<a href="{}">{}</a>', reverse("treaties:staff_treaty", args=[obj.slug]), _("open")
        )


class ProvisionInline(admin.TabularInline):
    model = Provision
    extra = 0
    fields = ["order", "pid", "kind", "label", "article", "text", "lineage"]
    readonly_fields = ["lineage"]
    show_change_link = True


@admin.register(Draft)
class DraftAdmin(admin.ModelAdmin):
    list_display = ["label", "treaty", "date", "source_kind", "published_at", "created_at"]
    list_filter = ["treaty", "source_kind"]
    search_fields = ["label"]
    readonly_fields = ["source_size", "source_sha256", "created_at", "created_by"]
    inlines = [ProvisionInline]


@admin.register(Provision)
class ProvisionAdmin(admin.ModelAdmin):
    list_display = ["pid", "draft", "kind", "article", "order", "lineage"]
    list_filter = ["draft__treaty", "kind"]
    search_fields = ["pid", "text"]
    raw_id_fields = ["draft", "lineage"]


@admin.register(Lineage)
class LineageAdmin(admin.ModelAdmin):
    list_display = ["pk", "treaty", "first_draft", "created_at"]
    list_filter = ["treaty"]
    readonly_fields = ["uid"]


class MatchGroupInline(admin.TabularInline):
    model = MatchGroup
    extra = 0
    fields = ["order", "kind", "score", "pinned", "old_ids", "new_ids", "text_changed"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Comparison)
class ComparisonAdmin(admin.ModelAdmin):
    list_display = ["pk", "treaty", "old_draft", "new_draft", "computed_at", "seconds"]
    list_filter = ["treaty"]
    readonly_fields = ["counts", "computed_at", "seconds"]
    inlines = [MatchGroupInline]


@admin.register(MatchGroup)
class MatchGroupAdmin(admin.ModelAdmin):
    list_display = ["pk", "comparison", "kind", "score", "pinned", "old_ids", "new_ids"]
    list_filter = ["kind", "pinned"]


@admin.register(Correction)
class CorrectionAdmin(admin.ModelAdmin):
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


class AskAttachmentInline(admin.TabularInline):
    model = AskAttachment
    extra = 0
    fields = ["lineage", "attached_in", "reviewed_in", "note"]
    raw_id_fields = ["lineage"]


@admin.register(Ask)
class AskAdmin(admin.ModelAdmin):
    list_display = ["title", "treaty", "order"]
    list_filter = ["treaty"]
    inlines = [AskAttachmentInline]


@admin.register(AskAttachment)
class AskAttachmentAdmin(admin.ModelAdmin):
    list_display = ["ask", "lineage", "attached_in", "reviewed_in", "created_at"]
    raw_id_fields = ["lineage"]


@admin.register(Verdict)
class VerdictAdmin(admin.ModelAdmin):
    list_display = ["ask", "draft", "status", "origin", "updated_at"]
    list_filter = ["status", "origin", "draft__treaty"]


@admin.register(Position)
class PositionAdmin(admin.ModelAdmin):
    list_display = ["country", "ask", "stance", "date", "source_url"]
    list_filter = ["stance", "ask__treaty", "ask"]
    search_fields = ["country", "note"]


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    list_display = ["supporter", "treaty", "status", "created_at", "confirmed_at"]
    list_filter = ["status", "treaty"]
    raw_id_fields = ["supporter"]


@admin.register(BreakdownAlert)
class BreakdownAlertAdmin(admin.ModelAdmin):
    list_display = ["draft", "subscription", "status", "sent_at"]
    list_filter = ["status"]
    readonly_fields = ["draft", "subscription", "status", "error", "created_at", "sent_at"]
