from django.contrib import admin, messages
from django.contrib.contenttypes.admin import GenericStackedInline
from django.contrib.contenttypes.models import ContentType
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import moderation
from .forms import BlockedTermForm
from .models import Ban, BlockedTerm, Comment, Flag, Thread
from .threads import TARGETS, forget_thread


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
    """Read-mostly: moderators work in the queue at /comments/moderate/. A comment's
    status changes only through the actions, which are the queue's own (flags resolved,
    moderator recorded, follow-up mail queued)."""

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
    readonly_fields = [*readonly_fields, "status"]
    fields = readonly_fields[:5] + ["status", "notify_replies"] + readonly_fields[5:-1]
    inlines = [FlagInline]
    actions = ["approve_selected", "reject_selected", "spam_selected"]

    def has_add_permission(self, request):
        return False

    def has_moderate_permission(self, request):
        return request.user.has_perm("comments.moderate_comment")

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        forget_thread(obj.thread)

    def _moderate(self, request, queryset, action):
        count = moderation.moderate(action, queryset.select_related("thread"), request.user)
        self.message_user(request, ngettext("%d comment changed.", "%d comments changed.",
                                            count) % count, messages.SUCCESS)

    @admin.action(description=_("Publish the selected comments"), permissions=["moderate"])
    def approve_selected(self, request, queryset):
        self._moderate(request, queryset, moderation.APPROVE)

    @admin.action(description=_("Reject the selected comments"), permissions=["moderate"])
    def reject_selected(self, request, queryset):
        self._moderate(request, queryset, moderation.REJECT)

    @admin.action(description=_("File the selected comments as spam"), permissions=["moderate"])
    def spam_selected(self, request, queryset):
        self._moderate(request, queryset, moderation.SPAM)


@admin.register(BlockedTerm)
class BlockedTermAdmin(admin.ModelAdmin):
    """The moderators' block list form: the same cleaning and the same record of who."""

    form = BlockedTermForm
    list_display = ["value", "kind", "added_by", "created_at"]
    list_filter = ["kind"]
    search_fields = ["value"]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.added_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(Ban)
class BanAdmin(admin.ModelAdmin):
    """Bans go through moderation.ban / unban, as in the moderators' pages, so what the
    person has waiting or showing comes down with the ban."""

    list_display = ["supporter", "reason", "banned_by", "created_at"]
    raw_id_fields = ["supporter"]
    fields = ["supporter", "reason"]

    def get_readonly_fields(self, request, obj=None):
        return ["supporter"] if obj is not None else []

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)  # the reason, for other moderators
            return
        moderation.ban(obj.supporter, request.user, obj.reason)
        obj.pk = Ban.objects.get(supporter=obj.supporter).pk

    def delete_model(self, request, obj):
        moderation.unban(obj.supporter)

    def delete_queryset(self, request, queryset):
        for ban in queryset.select_related("supporter"):
            moderation.unban(ban.supporter)
