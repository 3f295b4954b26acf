from django.contrib import admin

from .models import BouncedAddress


@admin.register(BouncedAddress)
class BouncedAddressAdmin(admin.ModelAdmin):
    """Addresses no mailing goes to. Deleting one lets mailings reach it again."""

    list_display = ["email", "kind", "created_at"]
    list_filter = ["kind"]
    search_fields = ["email"]
    readonly_fields = ["email", "kind", "detail", "created_at"]

    def has_add_permission(self, request):
        return False
