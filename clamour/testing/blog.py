"""Builders for blog test data."""

from datetime import timedelta

from django.contrib.auth.models import Permission
from django.utils import timezone

from clamour.blog.demo import VOLUNTEER_PERMISSIONS
from clamour.blog.models import Author, Post, PostUpdate, Tag


def make_author(slug="ann", *, name="Ann Author", user=None, role=Author.Role.STAFF):
    return Author.objects.create(slug=slug, name=name, user=user, role=role)


def make_post(
    slug="treaty-news",
    *,
    author=None,
    status=Post.Status.PUBLISHED,
    days_ago=1,
    campaign=None,
    tags=(),
    body="The **story** so far.",
    title=None,
    summary="In short.",
):
    post = Post.objects.create(
        slug=slug,
        title=title or f"Post {slug}",
        summary=summary,
        body=body,
        status=status,
        published_at=timezone.now() - timedelta(days=days_ago) if days_ago is not None else None,
        campaign=campaign,
    )
    post.authors.add(author or Author.objects.filter(slug="ann").first() or make_author())
    for name in tags:
        tag, _ = Tag.objects.get_or_create(
            slug=name.lower().replace(" ", "-"), defaults={"name": name}
        )
        post.tags.add(tag)
    return post


def add_post_update(post, *, days_ago=0, title="News", body="Something happened."):
    return PostUpdate.objects.create(
        post=post, title=title, body=body, published_at=timezone.now() - timedelta(days=days_ago)
    )


def make_volunteer(django_user_model, username="volunteer"):
    """Staff who may write posts but not publish them, with an author profile."""
    user = django_user_model.objects.create_user(
        username, f"{username}@example.org", "a long test password 3", is_staff=True
    )
    user.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="blog",
            codename__in=VOLUNTEER_PERMISSIONS,
        )
    )
    make_author(username, name=username.title(), user=user, role=Author.Role.VOLUNTEER)
    return user


def make_editor(django_user_model, username="editor"):
    user = make_volunteer(django_user_model, username)
    user.user_permissions.add(Permission.objects.get(codename="publish_post"))
    user.author.role = Author.Role.STAFF
    user.author.save()
    return django_user_model.objects.get(pk=user.pk)  # fresh permission cache


def post_form(author, **overrides):
    """The admin's post form as a browser posts it, with no inlines."""
    data = {
        "slug": "my-post",
        "title": "My post",
        "summary": "Short.",
        "body": "Long **text**.",
        "authors": [author.pk],
        "status": "draft",
        "published_at_0": "",
        "published_at_1": "",
        "campaign": "",
        "updates-TOTAL_FORMS": "0",
        "updates-INITIAL_FORMS": "0",
        "images-TOTAL_FORMS": "0",
        "images-INITIAL_FORMS": "0",
        "comments-thread-content_type-object_id-TOTAL_FORMS": "0",
        "comments-thread-content_type-object_id-INITIAL_FORMS": "0",
    }
    data.update(overrides)
    return data
