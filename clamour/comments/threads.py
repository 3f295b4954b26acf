"""Which pages take comments, their threads, and the cached list of what readers see.

A page that takes comments is a model registered in TARGETS. It needs `is_public()`,
`get_absolute_url()`, a title, and a date its comments count from (`published_at` or
`created_at`).
"""

from dataclasses import dataclass, field

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db import transaction
from django.http import Http404
from django.utils import timezone

from .models import Comment, Thread, closes_at

# The kinds of page people can comment on, as they appear in comment addresses.
TARGETS = {"post": "blog.Post", "campaign": "campaigns.Campaign"}
CACHE_SECONDS = 60


def kind_of(target) -> str:
    label = target._meta.label
    for kind, model_label in TARGETS.items():
        if model_label == label:
            return kind
    raise ValueError(f"{label} does not take comments")


def get_target(kind: str, pk) -> object:
    """The public page of this kind and id, or 404."""
    if kind not in TARGETS:
        raise Http404("Nothing to comment on")
    model = apps.get_model(TARGETS[kind])
    target = model.objects.filter(pk=pk).first()
    if target is None or not target.is_public():
        raise Http404("Nothing to comment on")
    return target


def target_title(target) -> str:
    return str(getattr(target, "title", target))


def started_at(target):
    return getattr(target, "published_at", None) or getattr(target, "created_at", None)


def thread_for(target, create=False) -> Thread | None:
    content_type = ContentType.objects.get_for_model(target)
    if create:
        thread, _ = Thread.objects.get_or_create(content_type=content_type, object_id=target.pk)
        return thread
    return Thread.objects.filter(content_type=content_type, object_id=target.pk).first()


def is_open(thread: Thread | None, target, now=None) -> bool:
    """Whether the page takes new comments: not closed by staff, not too old."""
    if thread is not None and thread.closed:
        return False
    closing = closes_at(started_at(target))
    return closing is None or (now or timezone.now()) < closing


@dataclass
class PublicThread:
    """What every reader sees under a page: the thread's settings and its published
    comments, top-level ones each with `replies` (one level deep)."""

    thread: Thread | None
    comments: list = field(default_factory=list)

    def tree(self, newest_first=False) -> list:
        top = [c for c in self.comments if c.parent_id is None]
        by_parent = {}
        for comment in self.comments:
            if comment.parent_id is not None:
                by_parent.setdefault(comment.parent_id, []).append(comment)
        for comment in top:
            comment.reply_list = by_parent.get(comment.pk, [])
        return list(reversed(top)) if newest_first else top

    @property
    def count(self) -> int:
        top_ids = {c.pk for c in self.comments if c.parent_id is None}
        return sum(1 for c in self.comments if c.parent_id is None or c.parent_id in top_ids)


def cache_key(content_type_id, object_id) -> str:
    return f"comments:thread:{content_type_id}:{object_id}"


def public_thread(target) -> PublicThread:
    """From the cache; any change to the thread's comments clears it."""
    content_type = ContentType.objects.get_for_model(target)
    key = cache_key(content_type.pk, target.pk)
    found = cache.get(key)
    if found is None:
        thread = Thread.objects.filter(content_type=content_type, object_id=target.pk).first()
        comments = list(thread.comments.published().order_by("created_at", "pk")) if thread else []
        found = PublicThread(thread=thread, comments=comments)
        cache.set(key, found, timeout=CACHE_SECONDS)
    return found


def forget_thread(thread: Thread) -> None:
    key = cache_key(thread.content_type_id, thread.object_id)
    cache.delete(key)
    transaction.on_commit(lambda: cache.delete(key))


def forget_thread_of(target) -> None:
    content_type = ContentType.objects.get_for_model(target)
    key = cache_key(content_type.pk, target.pk)
    cache.delete(key)
    transaction.on_commit(lambda: cache.delete(key))


def own_waiting_comments(target, supporter) -> list[Comment]:
    """The person's own comments on this page that readers cannot see yet."""
    if supporter is None:
        return []
    content_type = ContentType.objects.get_for_model(target)
    return list(
        Comment.objects.filter(
            thread__content_type=content_type,
            thread__object_id=target.pk,
            supporter=supporter,
            status__in=[Comment.Status.PENDING, Comment.Status.UNCONFIRMED, Comment.Status.HIDDEN],
        ).order_by("created_at")
    )
