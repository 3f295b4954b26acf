"""Moving posts through their workflow (draft → waiting for an editor → published),
and the short-lived cache of the posts shown on campaign pages."""

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import get_language

from clamour.core.access import is_staff_member

from .models import Post

PUBLISH_PERMISSION = "blog.publish_post"
CACHE_SECONDS = 300


def may_publish(user) -> bool:
    return is_staff_member(user) and user.has_perm(PUBLISH_PERMISSION)


def submit_for_review(post: Post) -> bool:
    """A volunteer's draft goes to the editors. False if it was not a draft."""
    with transaction.atomic():
        changed = Post.objects.filter(pk=post.pk, status=Post.Status.DRAFT).update(
            status=Post.Status.SUBMITTED
        )
    if changed:
        post.status = Post.Status.SUBMITTED
        forget_cached_posts()
    return bool(changed)


def publish_post(post: Post, user, when=None) -> None:
    """Approve and publish `post` (at `when`, its own date, or now). Only editors may."""
    if not may_publish(user):
        raise PermissionDenied("Only editors can publish posts.")
    post.status = Post.Status.PUBLISHED
    post.published_at = when or post.published_at or timezone.now()
    post.approved_by = user
    post.save(update_fields=["status", "published_at", "approved_by", "updated_at"])
    forget_cached_posts()


def forget_cached_posts() -> None:
    """Called whenever a post changes: the campaign pages' post lists are rebuilt."""
    try:
        cache.incr("blog:generation")
    except ValueError:
        cache.set("blog:generation", 1, timeout=None)


def campaign_posts(campaign_id: int, now=None) -> list[dict]:
    """The published posts of a campaign, newest first, from a cache that every post
    change clears (scheduled posts are kept in it and appear when their time comes)."""
    generation = cache.get("blog:generation", 0)
    key = f"blog:campaign-posts:{generation}:{campaign_id}"
    posts = cache.get(key)
    if posts is None:
        posts = [
            {
                "title": post.title,
                "url": post.get_absolute_url(),
                "summary": post.summary,
                "published_at": post.published_at,
                # {code: {"title", "summary"}} in the languages it is fully translated into.
                "translations": {
                    code: {"title": shown.title, "summary": shown.summary}
                    for code in post.languages() if code != post.language
                    for shown in [post.localised(code)]
                },
            }
            for post in Post.objects.filter(
                campaign_id=campaign_id, status=Post.Status.PUBLISHED, published_at__isnull=False
            ).order_by("-published_at")[:20]
        ]
        cache.set(key, posts, timeout=CACHE_SECONDS)
    now = now or timezone.now()
    return [in_language(post, get_language()) for post in posts if post["published_at"] <= now][:5]


def in_language(post: dict, code: str) -> dict:
    """One of `campaign_posts`' entries with its headline in language `code` where the
    post is translated into it; `language` says which."""
    translated = post.get("translations", {}).get(code)
    if translated is None:
        return {**post, "language": settings.LANGUAGE_CODE}
    return {**post, **translated, "language": code}
