from django import forms
from django.conf import settings
from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from .models import Campaign, Update


class UpdateInline(admin.StackedInline):
    model = Update
    extra = 0
    fields = ["published_at", "title", "body"]


LABELS = {"title": _("headline"), "summary": _("summary"), "story": _("story (Markdown)")}


def text_field(code: str, field: str) -> forms.CharField:
    if field == "story":
        return forms.CharField(label=LABELS[field], required=False,
                               widget=forms.Textarea(attrs={"rows": 8, "lang": code}))
    return forms.CharField(label=LABELS[field], required=False, max_length=300,
                           widget=forms.TextInput(attrs={"size": 80, "lang": code}))


class CampaignFormBase(forms.ModelForm):
    """The campaign with its headline, summary and story in every site language, each
    language in a section of its own (stored in Campaign.texts)."""

    class Meta:
        model = Campaign
        exclude = ["texts"]
        widgets = {"language": forms.Select(choices=settings.LANGUAGES)}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "language" in self.fields:
            self.fields["language"].required = False  # left out: the site's default
        texts = self.instance.texts or {}
        for code, _name in settings.LANGUAGES:
            for field in LABELS:
                if f"{field}_{code}" in self.fields:
                    self.fields[f"{field}_{code}"].initial = (texts.get(code) or {}).get(field, "")

    def clean_language(self):
        return self.cleaned_data.get("language") or settings.LANGUAGE_CODE

    def save(self, commit=True):
        texts = {}
        for code, _name in settings.LANGUAGES:
            given = {field: (self.cleaned_data.get(f"{field}_{code}") or "").strip()
                     for field in LABELS}
            if any(given.values()):
                texts[code] = given
        self.instance.texts = texts
        return super().save(commit)


# One field per language and text (title_fr, summary_fr, story_fr …), declared so the
# admin's fieldsets may name them.
CampaignForm = type("CampaignForm", (CampaignFormBase,), {
    f"{field}_{code}": text_field(code, field)
    for code, _name in settings.LANGUAGES for field in LABELS
})


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
        return [(None, {"fields": own})] + [
            (_("In %(language)s") % {"language": name}, {
                "fields": [f"{field}_{code}" for field in LABELS],
                "description": _("Leave empty to show the texts above on this language's "
                                 "pages. A language is used only once all three are given."),
                "classes": ["collapse"] if obj is not None and obj.has_texts_in(code) else [],
            })
            for code, name in settings.LANGUAGES
            if code != (obj.language if obj is not None else settings.LANGUAGE_CODE)
        ]

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
