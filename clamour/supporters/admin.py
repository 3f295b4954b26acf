from django.contrib import admin

from . import privacy
from .models import PrivacyLogEntry, PrivacyNotice


@admin.register(PrivacyLogEntry)
class PrivacyLogEntryAdmin(admin.ModelAdmin):
    list_display = ["created_at", "kind", "supporter_number", "staff_username", "detail"]
    list_filter = ["kind"]
    search_fields = ["=supporter_number", "staff_username"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(PrivacyNotice)
class PrivacyNoticeAdmin(admin.ModelAdmin):
    """One notice: staff add it once, starting from the default text, then change it."""

    list_display = ["__str__", "updated_at"]
    readonly_fields = ["updated_at"]

    def has_add_permission(self, request):
        return super().has_add_permission(request) and not PrivacyNotice.objects.exists()

    def get_changeform_initial_data(self, request):
        return {"body": privacy.default_notice()}
