from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from .models import Campaign, Update


class UpdateInline(admin.StackedInline):
    model = Update
    extra = 0
    fields = ["published_at", "title", "body"]


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    list_display = ["title", "status", "created_at", "action_link", "view_link"]
    list_filter = ["status"]
    search_fields = ["title", "slug", "summary"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [UpdateInline]

    @admin.display(description=_("Action"))
    def action_link(self, obj):
        action = getattr(obj, "action", None)
        if action is None:
            url = reverse("admin:actions_action_add") + f"?campaign={obj.pk}"
            return format_html('<a href="{}">{}</a>', url, _("Add an action"))
        return format_html('<a href="{}">{}</a>',
                           reverse("admin:actions_action_change", args=[action.pk]), action.title)

    @admin.display(description=_("Page"))
    def view_link(self, obj):
        return format_html('<a href="{}">{}</a>', obj.get_absolute_url(), _("View"))
