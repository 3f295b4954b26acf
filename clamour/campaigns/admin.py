from django import forms
from django.conf import settings
from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from clamour.core.texts import (
    TextsForm,
    texts_fieldsets,
    texts_form,
    update_fieldsets,
    update_form,
)

from .models import Campaign, Update


class UpdateInline(admin.StackedInline):
    model = Update
    form = update_form(Update)
    extra = 0

    def get_fieldsets(self, request, obj=None):
        return update_fieldsets(obj.language if obj is not None else settings.LANGUAGE_CODE)


TEXTS = {"title": (_("headline"), True), "summary": (_("summary"), True),
         "story": (_("story (Markdown)"), False)}


class CampaignFormBase(TextsForm):
    class Meta:
        model = Campaign
        exclude = ["texts"]
        widgets = {"language": forms.Select(choices=settings.LANGUAGES)}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "language" in self.fields:
            self.fields["language"].required = False  # left out: the site's default

    def clean_language(self):
        return self.cleaned_data.get("language") or settings.LANGUAGE_CODE


CampaignForm = texts_form(CampaignFormBase, TEXTS)


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    form = CampaignForm
    list_display = ["title", "status", "created_at", "missing_texts", "action_link", "view_link"]
    list_filter = ["status"]
    search_fields = ["title", "slug", "summary"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [UpdateInline]

    def get_fieldsets(self, request, obj=None):
        own = ["slug", "status", "language", "title", "summary", "story"]
        return [(None, {"fields": own})] + texts_fieldsets(
            TEXTS, obj.language if obj is not None else settings.LANGUAGE_CODE,
            lambda code: obj is not None and obj.has_texts_in(code))

    @admin.display(description=_("Languages without texts"))
    def missing_texts(self, obj):
        missing = obj.missing_languages()
        return ", ".join(dict(settings.LANGUAGES)[code] for code in missing) or "—"

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
