"""The post workflow in the admin: volunteers write and submit, editors publish."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from clamour.blog.models import Post
from clamour.testing.auth import log_in_staff
from clamour.testing.blog import make_editor, make_post, make_volunteer, post_form

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def test_volunteer_writes_a_draft_and_sends_it_to_the_editors(client, django_user_model):
    volunteer = make_volunteer(django_user_model)
    log_in_staff(client, volunteer)
    response = client.post(reverse("admin:blog_post_add"), post_form(volunteer.author))
    assert response.status_code == 302, response.content.decode()[:3000]
    post = Post.objects.get()
    assert post.status == Post.Status.DRAFT and list(post.authors.all()) == [volunteer.author]
    client.post(
        reverse("admin:blog_post_changelist"),
        {"action": "submit_selected", "_selected_action": [post.pk]},
    )
    post.refresh_from_db()
    assert post.status == Post.Status.SUBMITTED
    assert client.get(post.get_absolute_url()).status_code == 200  # a preview for its author


def test_volunteer_cannot_publish(client, django_user_model):
    volunteer = make_volunteer(django_user_model)
    log_in_staff(client, volunteer)
    response = client.post(
        reverse("admin:blog_post_add"), post_form(volunteer.author, status="published")
    )
    assert response.status_code == 200 and not Post.objects.exists()
    assert "status" in response.context["adminform"].form.errors
    # Nor through the bulk action.
    post = make_post("theirs", author=volunteer.author, status=Post.Status.SUBMITTED)
    client.post(
        reverse("admin:blog_post_changelist"),
        {"action": "publish_selected", "_selected_action": [post.pk]},
    )
    post.refresh_from_db()
    assert post.status == Post.Status.SUBMITTED


def test_volunteer_sees_and_edits_only_their_own_unpublished_posts(client, django_user_model):
    volunteer = make_volunteer(django_user_model)
    mine = make_post("mine", author=volunteer.author, status=Post.Status.DRAFT)
    published = make_post("mine-out", author=volunteer.author)
    others = make_post("others", status=Post.Status.DRAFT)
    log_in_staff(client, volunteer)
    listing = client.get(reverse("admin:blog_post_changelist")).content.decode()
    assert "Post mine" in listing and "Post others" not in listing
    assert (
        client.get(reverse("admin:blog_post_change", args=[others.pk])).status_code == 302
    )  # not found
    assert client.get(reverse("admin:blog_post_change", args=[mine.pk])).status_code == 200
    # A published post is read-only for them: the change page has no save button.
    page = client.get(reverse("admin:blog_post_change", args=[published.pk])).content.decode()
    assert 'name="_save"' not in page
    response = client.post(
        reverse("admin:blog_post_change", args=[published.pk]),
        post_form(volunteer.author, slug="mine-out", title="Changed", status="published"),
    )
    assert response.status_code == 403
    assert Post.objects.get(pk=published.pk).title == "Post mine-out"


def test_editor_approves_and_publishes(client, django_user_model):
    volunteer = make_volunteer(django_user_model)
    editor = make_editor(django_user_model)
    post = make_post(
        "waiting", author=volunteer.author, status=Post.Status.SUBMITTED, days_ago=None
    )
    log_in_staff(client, editor)
    assert (
        "Post waiting"
        in client.get(reverse("admin:blog_post_changelist") + "?status=submitted").content.decode()
    )
    client.post(
        reverse("admin:blog_post_changelist"),
        {"action": "publish_selected", "_selected_action": [post.pk]},
    )
    post.refresh_from_db()
    assert post.status == Post.Status.PUBLISHED and post.approved_by == editor
    assert post.published_at is not None
    assert client.get(post.get_absolute_url()).status_code == 200


def test_editor_schedules_a_post(client, django_user_model):
    editor = make_editor(django_user_model)
    log_in_staff(client, editor)
    response = client.post(
        reverse("admin:blog_post_add"),
        post_form(
            editor.author,
            status="published",
            published_at_0="2099-01-01",
            published_at_1="09:00:00",
        ),
    )
    assert response.status_code == 302
    post = Post.objects.get()
    assert post.is_scheduled() and post.approved_by == editor
    client.logout()
    assert client.get(post.get_absolute_url()).status_code == 404


def test_image_upload_checks_the_file(client, django_user_model, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    editor = make_editor(django_user_model)
    log_in_staff(client, editor)
    bad = post_form(
        editor.author,
        **{
            "images-TOTAL_FORMS": "1",
            "images-0-alt": "A script",
            "images-0-file": SimpleUploadedFile("x.svg", b"<svg onload=alert(1)>", "image/svg+xml"),
        },
    )
    response = client.post(reverse("admin:blog_post_add"), bad)
    assert response.status_code == 200 and not Post.objects.exists()
    assert "PNG, JPEG, GIF or WebP" in response.content.decode()
    good = post_form(
        editor.author,
        **{
            "images-TOTAL_FORMS": "1",
            "images-0-alt": "A march",
            "images-0-file": SimpleUploadedFile("m.png", PNG, "image/png"),
        },
    )
    assert client.post(reverse("admin:blog_post_add"), good).status_code == 302
    image = Post.objects.get().images.get()
    assert (
        image.content_type == "image/png"
        and image.markdown() == f"![A march](/blog/images/{image.pk}/)"
    )


def test_comment_settings_are_edited_on_the_post(client, campaigner):
    from clamour.comments.models import Thread

    post = make_post()
    log_in_staff(client, campaigner)
    data = post_form(
        post.authors.get(),
        slug=post.slug,
        status="published",
        published_at_0=post.published_at.strftime("%Y-%m-%d"),
        published_at_1=post.published_at.strftime("%H:%M:%S"),
    )
    data.update(
        {
            "comments-thread-content_type-object_id-TOTAL_FORMS": "1",
            "comments-thread-content_type-object_id-0-moderation": "pre",
            "comments-thread-content_type-object_id-0-closed": "on",
        }
    )
    response = client.post(reverse("admin:blog_post_change", args=[post.pk]), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    thread = Thread.objects.get()
    assert thread.target == post and thread.closed and thread.is_pre_moderated()


def test_blog_admin_needs_staff(client, outsider):
    assert client.get(reverse("admin:blog_post_changelist")).status_code == 302
    client.force_login(outsider)
    assert client.get(reverse("admin:blog_post_changelist")).status_code == 302
