from django.conf import settings
from django.contrib import admin, messages
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from clamour.comments.admin import ThreadInline
from clamour.comments.threads import forget_thread_of
from clamour.core.texts import texts_fieldsets, update_fieldsets, update_form

from .forms import POST_TEXTS, PostAdminForm, PostImageForm
from .models import Author, Post, PostImage, PostUpdate, Tag
from .publishing import forget_cached_posts, may_publish, publish_post, submit_for_review


class PostUpdateInline(admin.StackedInline):
    model = PostUpdate
    form = update_form(PostUpdate)
    extra = 0

    def get_fieldsets(self, request, obj=None):
        return update_fieldsets(settings.LANGUAGE_CODE)


class PostImageInline(admin.TabularInline):
    model = PostImage
    form = PostImageForm
    extra = 0
    fields = ["file", "alt", "markdown_line"]
    readonly_fields = ["markdown_line"]

    @admin.display(description=_("Paste into the text"))
    def markdown_line(self, obj):
        return format_html("<code>{}</code>", obj.markdown()) if obj.pk else "—"


@admin.register(Post)
class PostAdmin(admin.ModelAdmin):
    form = PostAdminForm
    list_display = ["title", "status", "published_at", "author_names", "campaign", "missing_texts"]
    list_filter = ["status", "tags", "authors"]
    search_fields = ["title", "summary", "body"]
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["authors", "tags"]
    date_hierarchy = "published_at"
    inlines = [PostUpdateInline, PostImageInline, ThreadInline]
    actions = ["submit_selected", "publish_selected"]

    def get_fieldsets(self, request, obj=None):
        own = ["title", "slug", "summary", "body", "status", "published_at", "campaign",
               "authors", "tags"]
        return [(None, {"fields": own})] + texts_fieldsets(
            POST_TEXTS, settings.LANGUAGE_CODE,
            lambda code: obj is not None and obj.has_texts_in(code))

    @admin.display(description=_("Languages without texts"))
    def missing_texts(self, obj):
        missing = obj.missing_languages()
        return ", ".join(dict(settings.LANGUAGES)[code] for code in missing) or "—"

    def get_form(self, request, obj=None, change=False, **kwargs):
        form_class = super().get_form(request, obj, change=change, **kwargs)

        class FormForUser(form_class):
            def __init__(self, *args, **inner):
                inner["user"] = request.user
                super().__init__(*args, **inner)
                if not may_publish(request.user):
                    if "authors" in self.fields:
                        own = Author.objects.filter(user=request.user)
                        self.fields["authors"].queryset = own
                        self.fields["authors"].initial = list(own)
                    if "status" in self.fields:
                        self.fields["status"].choices = [
                            choice
                            for choice in Post.Status.choices
                            if choice[0] != Post.Status.PUBLISHED
                        ]

        return FormForUser

    def get_queryset(self, request):
        posts = super().get_queryset(request).select_related("campaign").prefetch_related("authors")
        if not may_publish(request.user):
            posts = posts.filter(authors__user=request.user).distinct()
        return posts

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        if (
            obj is not None
            and obj.status == Post.Status.PUBLISHED
            and not may_publish(request.user)
        ):
            return False  # once approved, only editors change it
        return allowed

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        if (
            obj is not None
            and obj.status == Post.Status.PUBLISHED
            and not may_publish(request.user)
        ):
            return False
        return allowed

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not may_publish(request.user):
            actions.pop("publish_selected", None)
        return actions

    @admin.display(description=_("Authors"))
    def author_names(self, obj):
        return ", ".join(author.name for author in obj.authors.all())

    def save_model(self, request, obj, form, change):
        was_published = change and form.initial.get("status") == Post.Status.PUBLISHED
        super().save_model(request, obj, form, change)
        if obj.status == Post.Status.PUBLISHED and not was_published:
            publish_post(obj, request.user)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        author = Author.objects.filter(user=request.user).first()
        if author is not None and not form.instance.authors.exists():
            form.instance.authors.add(author)
        forget_cached_posts()
        forget_thread_of(form.instance)

    @admin.action(description=_("Send to the editors for approval"))
    def submit_selected(self, request, queryset):
        sent = sum(submit_for_review(post) for post in queryset)
        self.message_user(
            request,
            ngettext("%d post sent to the editors.", "%d posts sent to the editors.", sent) % sent,
            messages.SUCCESS,
        )

    @admin.action(description=_("Approve and publish"))
    def publish_selected(self, request, queryset):
        count = 0
        for post in queryset.exclude(status=Post.Status.PUBLISHED):
            publish_post(post, request.user)
            count += 1
        self.message_user(
            request,
            ngettext("%d post published.", "%d posts published.", count) % count,
            messages.SUCCESS,
        )


@admin.register(Author)
class AuthorAdmin(admin.ModelAdmin):
    list_display = ["name", "role", "user"]
    list_filter = ["role"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["user"]


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
