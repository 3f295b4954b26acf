from django.conf import settings
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render
from django.utils.cache import patch_cache_control
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from clamour.core.access import is_staff_member
from clamour.core.speed.pagecache import cached_page, is_anonymous_visit, shared_page_context

from .models import Author, Post, PostImage, Tag


def get_post_for(request, slug) -> Post:
    """The post this person may see: published ones, and drafts or scheduled posts for
    their authors and editors (with a notice)."""
    post = Post.objects.select_related("campaign__action").filter(slug=slug).first()
    if post is None:
        raise Http404("No such post")
    if not post.is_public() and not post.can_be_previewed_by(request.user):
        raise Http404("No such post")
    return post


def disclaimer() -> str:
    return settings.BLOG_DISCLAIMER or _(
        "The views in this post are the author's own and not necessarily those of %(site)s."
    ) % {"site": settings.SITE_NAME}


def post_list_page(request, posts, template, context):
    page = Paginator(posts, settings.BLOG_POSTS_PER_PAGE).get_page(request.GET.get("page"))
    language = get_language()
    shown = [post.localised(language) for post in page]
    return render(request, template, {
        **context, "page": page, "posts": shown,
        # Staff see which posts are not translated into this page's language.
        "show_missing": is_staff_member(request.user) and language != settings.LANGUAGE_CODE,
    })


@require_safe
def index(request):
    return post_list_page(request, Post.objects.published().for_lists(), "blog/index.html", {})


@require_safe
def tag(request, slug):
    found = get_object_or_404(Tag, slug=slug)
    return post_list_page(
        request,
        Post.objects.published().filter(tags=found).for_lists(),
        "blog/tag.html",
        {"tag": found},
    )


@require_safe
def author(request, slug):
    found = get_object_or_404(Author, slug=slug)
    return post_list_page(
        request,
        Post.objects.published().filter(authors=found).for_lists(),
        "blog/author.html",
        {"author": found},
    )


@require_safe
def post(request, slug):
    order = "newest" if request.GET.get("comments") == "newest" else "oldest"
    if is_anonymous_visit(request):
        return cached_page(
            request, f"post:{slug}:{order}", lambda: post_page(request, slug, shared=True)
        )
    return post_page(request, slug)


def post_page(request, slug, shared=False):
    post = get_post_for(request, slug)
    action = (
        getattr(post.campaign, "action", None)
        if post.campaign and post.campaign.is_public()
        else None
    )
    images = list(post.images.all()[:1])
    language = get_language()
    shown = post.localised(language)
    context = {
        "post": shown,
        # Only the languages the post is written in have an address of their own.
        "alternate_languages": post.languages(),
        # Staff (never the cached page) are told when it has no text in this language.
        "texts_missing": not shared and is_staff_member(request.user)
        and shown.shown_language != language,
        "authors": list(post.authors.all()),
        "tags": list(post.tags.all()),
        "updates": [update.localised(language, post.language)
                    for update in post.updates.published()],
        "campaign": post.campaign
        if action or (post.campaign and post.campaign.is_public())
        else None,
        "action": action,
        "og_image": images[0] if images else None,
        "disclaimer": disclaimer(),
        "preview": not post.is_public(),
    }
    if shared and post.is_public():
        context.update(shared_page_context())
    response = render(request, "blog/post.html", context)
    if not post.is_public():
        response["Cache-Control"] = "private, no-store"
    return response


@require_safe
def image(request, pk):
    found = get_object_or_404(PostImage.objects.select_related("post"), pk=pk)
    if not found.post.is_public() and not found.post.can_be_previewed_by(request.user):
        raise Http404("No such image")
    try:
        handle = found.file.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404("No such image") from None
    response = FileResponse(handle, content_type=found.content_type or "application/octet-stream")
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Content-Disposition"] = "inline"
    if found.post.is_public():
        patch_cache_control(response, public=True, max_age=86400)
    else:
        response["Cache-Control"] = "private, no-store"
    return response
