from django.contrib import admin

from .models import Consent, Supporter


class ConsentInline(admin.TabularInline):
    model = Consent
    extra = 0
    readonly_fields = ["wording", "given", "source", "created_at"]
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Supporter)
class SupporterAdmin(admin.ModelAdmin):
    list_display = ["email", "name", "country", "created_at"]
    list_filter = ["country"]
    search_fields = ["email", "name", "referral_code"]
    readonly_fields = ["referral_code", "created_at"]
    inlines = [ConsentInline]
