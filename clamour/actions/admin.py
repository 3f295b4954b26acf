import csv

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.http import StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from clamour.core.texts import TextsForm, texts_fieldsets, texts_form
from clamour.supporters.models import PrivacyLogEntry

from .delivery import retry_failed
from .models import Action, Delivery, Submission, Target
from .submissions import confirm_submission


class TargetInline(admin.TabularInline):
    model = Target
    extra = 1
    fields = ["name", "title", "email", "country", "language", "is_default"]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "language":
            return forms.ChoiceField(label=db_field.verbose_name, required=False,
                                     choices=[("", "—"), *settings.LANGUAGES],
                                     help_text=db_field.help_text)
        return super().formfield_for_dbfield(db_field, request, **kwargs)


TEXTS = {
    "title": (_("call to action"), True), "intro": (_("introduction (Markdown)"), False),
    "letter_subject": (_("letter subject"), True), "letter_template": (_("letter"), False),
    "petition_text": (_("petition text (Markdown)"), False),
    "consent_wording": (_("consent question"), False),
}


class ActionFormBase(TextsForm):
    class Meta:
        model = Action
        exclude = ["texts"]


ActionForm = texts_form(ActionFormBase, TEXTS)


@admin.register(Action)
class ActionAdmin(admin.ModelAdmin):
    form = ActionForm
    list_display = ["title", "campaign", "kind", "deadline", "closed", "goal", "missing_texts"]
    list_select_related = ["campaign"]
    list_filter = ["kind", "closed"]
    search_fields = ["title", "campaign__title"]
    inlines = [TargetInline]
    fieldsets = [
        (None, {"fields": ["campaign", "kind", "title", "intro"]}),
        (_("Letter"), {"fields": ["letter_subject", "letter_template", "targeting", "fallback"]}),
        (_("Petition"), {"fields": ["petition_text"]}),
        (_("Settings"), {"fields": ["goal", "deadline", "closed", "require_confirmation",
                                    "ask_postcode", "consent_wording"]}),
    ]

    def get_fieldsets(self, request, obj=None):
        saved = obj is not None and obj.campaign_id is not None
        own = obj.campaign.language if saved else settings.LANGUAGE_CODE
        return self.fieldsets + texts_fieldsets(
            TEXTS, own, lambda code: saved and code not in obj.missing_languages(own))

    @admin.display(description=_("Languages without texts"))
    def missing_texts(self, obj):
        missing = obj.missing_languages(obj.campaign.language)
        return ", ".join(dict(settings.LANGUAGES)[code] for code in missing) or "—"


class DeliveryInline(admin.TabularInline):
    model = Delivery
    extra = 0
    can_delete = False
    fields = ["to_name", "to_email", "status", "attempts", "last_error", "sent_at"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


CSV_COLUMNS = [
    ("id", lambda s: s.pk),
    ("created_at", lambda s: s.created_at.isoformat()),
    ("status", lambda s: s.status),
    ("confirmed_at", lambda s: s.confirmed_at.isoformat() if s.confirmed_at else ""),
    ("campaign", lambda s: s.action.campaign.slug),
    ("name", lambda s: s.name),
    ("email", lambda s: s.email),
    ("country", lambda s: s.country),
    ("postcode", lambda s: s.postcode),
    ("subject", lambda s: s.subject),
    ("letter", lambda s: s.body),
    ("comment", lambda s: s.comment),
    ("consent_given", lambda s: "yes" if s.consent_given else "no"),
    ("consent_wording", lambda s: s.consent_wording),
    ("reply_to_ok", lambda s: "yes" if s.reply_to_ok else "no"),
    ("referral_code", lambda s: s.referral_code),
]


def csv_safe(value) -> str:
    """Stop spreadsheet programs from running a cell as a formula (CSV injection)."""
    text = str(value)
    if text[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + text
    return text


class _Echo:
    def write(self, value):
        return value


class ConfirmationBacklogFilter(admin.SimpleListFilter):
    title = _("confirmation email")
    parameter_name = "confirmation"

    def lookups(self, request, model_admin):
        return [("unsent", _("Not sent yet (queued or being retried)"))]

    def queryset(self, request, queryset):
        if self.value() == "unsent":
            return queryset.confirmation_backlog()
        return queryset


@admin.register(Submission)
class SubmissionAdmin(admin.ModelAdmin):
    list_display = ["name", "email", "country", "action", "status", "created_at"]
    list_filter = [ConfirmationBacklogFilter, "status", "action", "country"]
    search_fields = ["name", "email"]
    date_hierarchy = "created_at"
    list_select_related = ["action"]
    # A submission is the record of what a supporter sent and agreed to: nothing in it is
    # edited here. Confirming one (which queues its letters) is the action below.
    readonly_fields = ["action", "supporter", "name", "email", "country", "postcode", "subject",
                       "body", "comment", "consent_given", "consent_wording", "reply_to_ok",
                       "status", "created_at", "confirmed_at", "confirmation_sent_at",
                       "confirmation_error", "reminder_sent_at",
                       "referral_code", "utm_source", "utm_campaign"]
    inlines = [DeliveryInline]
    actions = ["confirm_selected", "export_csv"]

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Confirm the selected submissions (their letters are sent)"),
                  permissions=["change"])
    def confirm_selected(self, request, queryset):
        pending = queryset.filter(status=Submission.Status.PENDING).select_related("action")
        count = sum(confirm_submission(submission) for submission in pending)
        self.message_user(request, ngettext("%d submission confirmed.",
                                            "%d submissions confirmed.", count) % count,
                          messages.SUCCESS)

    def has_export_permission(self, request):
        # The role that may take personal data out (the workspace's Campaigners).
        return request.user.has_perm("workspace.export_personal_data")

    @admin.action(description=_("Export the selected submissions as CSV"), permissions=["export"])
    def export_csv(self, request, queryset):
        PrivacyLogEntry.objects.create(
            kind=PrivacyLogEntry.Kind.EXPORT, supporter=None, supporter_number=0,
            staff=request.user, staff_username=request.user.get_username(),
            detail=f"CSV export of {queryset.count()} submission(s) from the admin")
        rows = queryset.select_related("action__campaign").order_by("pk").iterator(chunk_size=2000)
        writer = csv.writer(_Echo())

        def lines():
            yield writer.writerow([name for name, _get in CSV_COLUMNS])
            for submission in rows:
                yield writer.writerow([csv_safe(get(submission)) for _name, get in CSV_COLUMNS])

        response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
        stamp = timezone.now().strftime("%Y%m%d-%H%M")
        response["Content-Disposition"] = f'attachment; filename="submissions-{stamp}.csv"'
        return response


class DeliveryBacklogFilter(admin.SimpleListFilter):
    title = _("backlog")
    parameter_name = "backlog"

    def lookups(self, request, model_admin):
        return [("unsent", _("Not sent yet")),
                ("retrying", _("Waiting to retry (the mail server failed)"))]

    def queryset(self, request, queryset):
        if self.value() == "unsent":
            return queryset.backlog()
        if self.value() == "retrying":
            return queryset.waiting_to_retry()
        return queryset


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ["to_email", "submission", "status", "attempts", "sent_at", "next_attempt_at",
                    "last_error"]
    list_filter = [DeliveryBacklogFilter, "status"]
    search_fields = ["to_email", "submission__email"]
    readonly_fields = [f.name for f in Delivery._meta.fields]
    actions = ["retry"]

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Try the selected failed letters again"))
    def retry(self, request, queryset):
        count = retry_failed(queryset)
        self.message_user(request, ngettext("%d letter queued again.", "%d letters queued again.",
                                            count) % count, messages.SUCCESS)
