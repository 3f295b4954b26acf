from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from clamour.core.texts import TextsForm, texts_form

from .models import Post, PostImage
from .publishing import may_publish

POST_TEXTS = {"title": (_("headline"), True), "summary": (_("summary"), True),
              "body": (_("text (Markdown)"), False)}

# The first bytes of the image formats browsers show everywhere. SVG is left out on
# purpose: it can carry scripts.
SIGNATURES = [
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
]


def sniff_image_type(head: bytes) -> str | None:
    for signature, content_type in SIGNATURES:
        if head.startswith(signature):
            return content_type
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    return None


class PostImageForm(forms.ModelForm):
    class Meta:
        model = PostImage
        fields = ["file", "alt"]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload and hasattr(upload, "content_type"):  # a new upload, not the stored file
            if upload.size > settings.BLOG_IMAGE_MAX_BYTES:
                raise forms.ValidationError(
                    _("That image is too large (the limit is %(mb).1f MB).")
                    % {"mb": settings.BLOG_IMAGE_MAX_BYTES / 1e6}
                )
            head = upload.read(16)
            upload.seek(0)
            kind = sniff_image_type(head)
            if kind is None:
                raise forms.ValidationError(_("Please upload a PNG, JPEG, GIF or WebP image."))
            self.instance.content_type = kind
        return upload


class PostAdminFormBase(TextsForm):
    """The post form in the admin. Authors without the right to publish can save drafts
    and send them to the editors, never publish. A post may be translated: its headline,
    summary and text in other languages, each optional (`PostAdminForm`)."""

    class Meta:
        model = Post
        exclude = ["texts"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_status(self):
        status = self.cleaned_data["status"]
        was = self.instance.status if self.instance.pk else Post.Status.DRAFT
        if (
            status == Post.Status.PUBLISHED
            and was != Post.Status.PUBLISHED
            and not may_publish(self.user)
        ):
            raise forms.ValidationError(
                _(
                    "An editor has to approve this post before it is published. Choose "
                    "“Waiting for an editor” to send it to them."
                )
            )
        return status


PostAdminForm = texts_form(PostAdminFormBase, POST_TEXTS)
