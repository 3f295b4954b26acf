from django.contrib import admin
from django.contrib.contenttypes.admin import GenericStackedInline
from django.utils.translation import gettext_lazy as _

from .models import Ban, BlockedTerm, Comment, Flag, Thread
from .threads import forget_thread


class ThreadInline(GenericStackedInline):
    """Comment settings on the admin page of anything that takes comments."""

    model = Thread
    ct_field = "content_type"
    ct_fk_field = "object_id"
    extra = 0
    max_num = 1
    fields = ["moderation", "closed"]
    verbose_name = _("comment settings")
    verbose_name_plural = _("comment settings")
    can_delete = False


@admin.register(Thread)
class ThreadAdmin(admin.ModelAdmin):
    list_display = ["__str__", "moderation", "closed", "created_at"]
    list_filter = ["moderation", "closed", "content_type"]
    fields = ["content_type", "object_id", "moderation", "closed"]

    def get_readonly_fields(self, request, obj=None):
        return ["content_type", "object_id"] if obj is not None else []

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "content_type":  # only the kinds of page that take comments
            from django.contrib.contenttypes.models import ContentType

            from .threads import TARGETS

            kwargs["queryset"] = ContentType.objects.filter(
                pk__in=[
                    ContentType.objects.get_by_natural_key(*label.lower().split(".")).pk
                    for label in TARGETS.values()
                ]
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        forget_thread(obj)


class FlagInline(admin.TabularInline):
    model = Flag
    extra = 0
    fields = ["reason", "note", "known", "created_at", "resolved_at"]
    readonly_fields = ["reason", "note", "known", "created_at", "resolved_at"]
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    """Read-mostly: moderators work in the queue at /comments/moderate/."""

    list_display = ["name", "status", "created_at", "thread"]
    list_filter = ["status"]
    search_fields = ["name", "body"]
    readonly_fields = [
        "thread",
        "parent",
        "supporter",
        "name",
        "body",
        "created_at",
        "published_at",
        "moderated_at",
        "moderated_by",
        "held_because",
    ]
    fields = readonly_fields[:5] + ["status", "notify_replies"] + readonly_fields[5:]
    inlines = [FlagInline]

    def has_add_permission(self, request):
        return False

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        forget_thread(obj.thread)


@admin.register(BlockedTerm)
class BlockedTermAdmin(admin.ModelAdmin):
    list_display = ["value", "kind", "added_by", "created_at"]
    list_filter = ["kind"]
    search_fields = ["value"]
    exclude = ["added_by"]


@admin.register(Ban)
class BanAdmin(admin.ModelAdmin):
    list_display = ["supporter", "reason", "banned_by", "created_at"]
    raw_id_fields = ["supporter"]
    exclude = ["banned_by"]
