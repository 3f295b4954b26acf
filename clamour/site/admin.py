"""The supporter admin: its actions export and erase a person's data across the apps
(clamour/site/privacy.py), so it is registered here, in the top layer."""

from django.contrib import admin, messages
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from clamour.supporters.models import Consent, PrivacyLogEntry, Supporter
from clamour.supporters.privacy import log_privacy_action

from . import privacy
from .views import json_download


class ConsentInline(admin.TabularInline):
    model = Consent
    extra = 0
    readonly_fields = ["wording", "given", "topic", "source", "created_at"]
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Supporter)
class SupporterAdmin(admin.ModelAdmin):
    list_display = ["email", "name", "country", "created_at", "erased_at"]
    list_filter = ["country", ("erased_at", admin.EmptyFieldListFilter)]
    search_fields = ["email", "name", "referral_code"]
    # The address is the person's identity (log-in links go to it), so it is not edited
    # here; people join by taking part, and leave through "erase" (logged, consent kept
    # as the law needs), never by a plain add or delete.
    readonly_fields = ["email", "referral_code", "created_at", "erased_at"]
    inlines = [ConsentInline]
    actions = ["export_data", "erase_data"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_export_permission(self, request):
        return request.user.has_perm("supporters.export_supporter_data")

    def has_erase_permission(self, request):
        return request.user.has_perm("supporters.erase_supporter_data")

    @admin.action(description=_("Export everything held about the selected supporters (JSON)"),
                  permissions=["export"])
    def export_data(self, request, queryset):
        people = list(queryset.order_by("pk"))
        data = {"format": "clamour-supporters-export/1", "exported_at": timezone.now().isoformat(),
                "supporters": [privacy.export_supporter(p) for p in people]}
        for person in people:
            log_privacy_action(PrivacyLogEntry.Kind.EXPORT, person, staff=request.user,
                               detail="on request, from the admin")
        return json_download(data, f"supporters-{timezone.now():%Y%m%d-%H%M}.json")

    @admin.action(description=_("Erase the personal data of the selected supporters"),
                  permissions=["erase"])
    def erase_data(self, request, queryset):
        people = list(queryset.filter(erased_at__isnull=True).order_by("pk"))
        if request.POST.get("confirm") != "yes":
            return TemplateResponse(request, "admin/supporters/erase_confirm.html", {
                **self.admin_site.each_context(request),
                "title": _("Erase personal data?"),
                "people": people,
                "selected": request.POST.getlist(admin.helpers.ACTION_CHECKBOX_NAME),
                "opts": self.model._meta,
            })
        for person in people:
            privacy.erase_supporter(person, staff=request.user)
        message = ngettext("Erased the personal data of %d supporter.",
                           "Erased the personal data of %d supporters.", len(people))
        self.message_user(request, message % len(people), messages.SUCCESS)
        return None
