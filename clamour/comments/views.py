import hashlib
import hmac

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from clamour.core import ratelimit
from clamour.core.access import staff_required
from clamour.core.confirm import confirm_by_button
from clamour.core.origin import same_origin_only
from clamour.supporters.models import Supporter
from clamour.supporters.session import current_supporter, log_in

from . import limits, moderation
from .forms import BanForm, BlockedTermForm, CommentForm, FlagForm, ModerationForm
from .models import Ban, BlockedTerm, Comment, Flag
from .posting import (
    CommentRefused,
    comment_from_confirmation,
    comment_from_received,
    confirm_comment,
    post_comment,
    received_token,
)
from .threads import get_target, is_open, kind_of, target_title, thread_for

MODERATE = "comments.moderate_comment"


def get_comment_for_readers(pk) -> Comment:
    """A published comment on a public page, or 404."""
    comment = (
        Comment.objects.select_related("thread")
        .filter(pk=pk, status=Comment.Status.PUBLISHED)
        .first()
    )
    target = comment.thread.target if comment else None
    if comment is None or target is None or not target.is_public():
        raise Http404("No such comment")
    return comment


def form_page_context(request, target, form, *, parent=None, error=None) -> dict:
    return {
        "target": target,
        "title": target_title(target),
        "kind": kind_of(target),
        "form": form,
        "parent": parent,
        "error": error,
        "supporter": current_supporter(request),
    }


def form_page(request, target, form, *, parent=None, status=200, error=None):
    """The comment form on a page of its own: replies, and a form sent back with errors."""
    return render(
        request,
        "comments/form_page.html",
        form_page_context(request, target, form, parent=parent, error=error),
        status=status,
    )


@same_origin_only  # the form is on pages cached for everyone: no per-visitor token
@require_POST
def post(request, kind, pk):
    target = get_target(kind, pk)
    supporter = current_supporter(request)
    guest = supporter is None
    if guest and not settings.COMMENTS_ALLOW_GUESTS:
        return form_page(request, target, None, status=403, error=_("Please log in to comment."))
    thread = thread_for(target)
    if not is_open(thread, target):
        return form_page(
            request, target, None, status=403, error=_("Comments are closed on this page.")
        )
    form = CommentForm(request.POST, guest=guest)
    parent = None
    if not form.is_valid():
        return form_page(request, target, form, status=400)
    if form.cleaned_data.get("parent"):
        parent = Comment.objects.filter(
            pk=form.cleaned_data["parent"], thread=thread, status=Comment.Status.PUBLISHED
        ).first()
        if parent is None:
            form.add_error(None, _("The comment you are replying to is no longer there."))
            return form_page(request, target, form, status=400)
    person = f"s:{supporter.pk}" if supporter else f"e:{form.cleaned_data['email']}"
    if wait := limits.comment_wait(request, person):
        form.add_error(
            None,
            _(
                "You have sent a lot of comments in a short time. Please wait a few "
                "minutes and try again."
            ),
        )
        return ratelimit.too_many(
            request,
            wait,
            "comments/form_page.html",
            form_page_context(request, target, form, parent=parent),
        )
    if guest:
        # Someone new is written to in the language of the page they commented on.
        supporter = Supporter.objects.get_or_create_by_email(
            form.cleaned_data["email"], name=form.cleaned_data["name"], language=get_language()
        )
    try:
        comment = post_comment(
            target,
            supporter=supporter,
            name=form.cleaned_data.get("name") or supporter.name,
            body=form.cleaned_data["body"],
            parent=parent,
            notify_replies=form.cleaned_data["notify_replies"],
            confirmed=not guest,
        )
    except CommentRefused as exc:
        form.add_error(None, str(exc))
        return form_page(request, target, form, parent=parent, status=400)
    if comment.status == Comment.Status.PUBLISHED:
        return redirect(target.get_absolute_url() + f"#comment-{comment.pk}")
    return redirect("comments:received", token=received_token(comment))


@require_safe
def reply(request, pk):
    """A reply form of its own, so replying works without JavaScript on any page."""
    parent = get_comment_for_readers(pk)
    target = parent.thread.target
    form = CommentForm(
        guest=current_supporter(request) is None,
        initial={"parent": (parent.parent_id or parent.pk)},
    )
    form.fields["body"].label = _("Your reply")
    if not is_open(parent.thread, target):
        form = None
    return form_page(request, target, form, parent=parent)


@require_safe
def received(request, token):
    comment = comment_from_received(token)
    if comment is None:
        raise Http404("No such comment")
    target = comment.thread.target
    return render(
        request,
        "comments/received.html",
        {"comment": comment, "target": target, "title": target_title(target) if target else ""},
    )


@require_http_methods(["GET", "HEAD", "POST"])
def confirm(request, token):
    """GET shows a button; only the POST confirms, so link-following mail scanners can't."""

    def page(comment):
        target = comment.thread.target
        return render(
            request,
            "comments/confirm.html",
            {
                "comment": comment,
                "target": target,
                "title": target_title(target) if target else "",
                "done": comment.status != Comment.Status.UNCONFIRMED,
            },
        )

    def press(comment):
        # The link logs in once, on the press that confirms, so that this browser can
        # comment again without confirming. Used again it only shows the comment: it is
        # not a standing key to the account.
        if confirm_comment(comment):
            log_in(request, comment.supporter)
        comment.refresh_from_db()
        target = comment.thread.target
        if comment.status == Comment.Status.PUBLISHED and target is not None:
            return redirect(target.get_absolute_url() + f"#comment-{comment.pk}")
        return redirect("comments:received", token=received_token(comment))

    return confirm_by_button(
        request,
        token,
        find=comment_from_confirmation,
        show=page,
        confirm=press,
        invalid={"again": _("Please write your comment again.")},
    )


def flagger_key(request) -> str:
    """Who is flagging, counted once per comment: the supporter, or else this browser's
    session. A keyed hash, so the flag row holds neither."""
    supporter = current_supporter(request)
    if supporter is not None:
        who = f"s:{supporter.pk}"
    else:
        if request.session.session_key is None:
            request.session["comments_reader"] = True
            request.session.save()
        who = f"k:{request.session.session_key}"
    return hmac.new(
        settings.SECRET_KEY.encode(), f"flag|{who}".encode(), hashlib.sha256
    ).hexdigest()[:40]


@require_http_methods(["GET", "HEAD", "POST"])
def flag(request, pk):
    comment = get_comment_for_readers(pk)
    target = comment.thread.target
    form = FlagForm(request.POST or None)
    if request.method == "POST":
        if wait := limits.flag_wait(request):
            form.add_error(
                None,
                _("You have reported a lot of comments in a short time. Please try again later."),
            )
            return ratelimit.too_many(
                request,
                wait,
                "comments/flag.html",
                {"comment": comment, "target": target, "form": form},
            )
        if form.is_valid():
            moderation.flag_comment(
                comment,
                flagger_key(request),
                form.cleaned_data["reason"],
                form.cleaned_data["note"],
                known=current_supporter(request) is not None,
            )
            return render(
                request, "comments/flag.html", {"comment": comment, "target": target, "done": True}
            )
        return render(
            request,
            "comments/flag.html",
            {"comment": comment, "target": target, "form": form},
            status=400,
        )
    return render(
        request, "comments/flag.html", {"comment": comment, "target": target, "form": form}
    )


# Moderators ----------------------------------------------------------------------

QUEUE_FILTERS = {
    "queue": (_("To moderate"), None),  # Comment.objects.in_queue()
    "flagged": (_("Hidden after flags"), (Comment.Status.HIDDEN,)),
    "spam": (_("Spam"), (Comment.Status.SPAM,)),
    "rejected": (_("Rejected"), (Comment.Status.REJECTED,)),
    "published": (_("Published"), (Comment.Status.PUBLISHED,)),
    "unconfirmed": (_("Email not confirmed"), (Comment.Status.UNCONFIRMED,)),
}


def with_context(comments):
    """Comments with what a moderator needs beside each: the page, the comment replied
    to, open flags, and the commenter's record."""
    return comments.select_related(
        "thread__content_type", "parent", "supporter__comment_ban"
    ).prefetch_related(
        "thread__target",
        Prefetch("flags", queryset=Flag.objects.filter(resolved_at=None), to_attr="open_flags"),
    )


def history_counts(supporter_ids) -> dict:
    counts = {}
    rows = (
        Comment.objects.filter(supporter_id__in=supporter_ids)
        .values("supporter_id", "status")
        .annotate(n=Count("id"))
    )
    for row in rows:
        counts.setdefault(row["supporter_id"], {})[row["status"]] = row["n"]
    return counts


@require_safe
@staff_required(permission=MODERATE)
def queue(request):
    current = request.GET.get("show", "queue")
    if current not in QUEUE_FILTERS:
        current = "queue"
    statuses = QUEUE_FILTERS[current][1]
    order = "-created_at" if current in ("published", "spam", "rejected") else "created_at"
    chosen = Comment.objects.in_queue() if statuses is None else Comment.objects.filter(
        status__in=statuses
    )
    comments = with_context(chosen).order_by(order, "pk")
    page = Paginator(comments, 50).get_page(request.GET.get("page"))
    counts = history_counts({c.supporter_id for c in page if c.supporter_id})
    for comment in page:
        comment.history = counts.get(comment.supporter_id, {})
    waiting = Comment.objects.in_queue().count()
    return render(
        request,
        "comments/moderate/queue.html",
        {
            "page": page,
            "current": current,
            "filters": [(key, label) for key, (label, _statuses) in QUEUE_FILTERS.items()],
            "waiting": waiting,
            "actions": ModerationForm.ACTION_CHOICES,
        },
    )


def safe_next(request, value, default):
    if value and url_has_allowed_host_and_scheme(
        value, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return value
    return default


@require_POST
@staff_required(permission=MODERATE)
def bulk(request):
    data = request.POST.copy()
    action, _sep, one = data.get("one", "").partition(":")
    if one:  # a button on one comment: "approve:12"
        data["action"] = action
        data.setlist("ids", [one])
    form = ModerationForm(data)
    back = safe_next(request, request.POST.get("next"), "comments:queue")
    if not form.is_valid():
        messages.error(request, _("Choose one or more comments and an action."))
        return redirect(back)
    comments = list(
        Comment.objects.select_related("thread", "supporter").filter(
            pk__in=form.cleaned_data["ids"]
        )
    )
    done = moderation.moderate(form.cleaned_data["action"], comments, request.user)
    messages.success(
        request, ngettext("%(n)d comment done.", "%(n)d comments done.", done) % {"n": done}
    )
    return redirect(back)


@require_safe
@staff_required(permission=MODERATE)
def comment_detail(request, pk):
    comment = get_object_or_404(with_context(Comment.objects.all()), pk=pk)
    earlier = list(
        Comment.objects.filter(
            thread=comment.thread,
            status=Comment.Status.PUBLISHED,
            created_at__lte=comment.created_at,
        )
        .exclude(pk=comment.pk)
        .order_by("-created_at", "-pk")[:5]
    )[::-1]
    if comment.parent is not None and comment.parent not in earlier:
        earlier.insert(0, comment.parent)
    history = (
        history_counts([comment.supporter_id]).get(comment.supporter_id, {})
        if comment.supporter_id
        else {}
    )
    comment.history = history
    return render(
        request,
        "comments/moderate/comment.html",
        {
            "comment": comment,
            "context_comments": earlier,
            "history": history,
            "all_flags": comment.flags.all(),
            "comment_list": [comment],
            "actions": ModerationForm.ACTION_CHOICES,
            "target": comment.thread.target,
        },
    )


@require_safe
@staff_required(permission=MODERATE)
def person(request, pk):
    supporter = get_object_or_404(Supporter.objects.select_related("comment_ban"), pk=pk)
    comments = with_context(Comment.objects.filter(supporter=supporter)).order_by("-created_at")
    page = Paginator(comments, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "comments/moderate/person.html",
        {
            "person": supporter,
            "page": page,
            "history": history_counts([supporter.pk]).get(supporter.pk, {}),
            "ban": getattr(supporter, "comment_ban", None),
            "ban_form": BanForm(),
            "actions": ModerationForm.ACTION_CHOICES,
        },
    )


@require_POST
@staff_required(permission=MODERATE)
def ban_person(request, pk):
    supporter = get_object_or_404(Supporter, pk=pk)
    form = BanForm(request.POST)
    if form.is_valid():
        moderation.ban(supporter, request.user, form.cleaned_data["reason"])
        messages.success(request, _("%(name)s can no longer comment.") % {"name": supporter.name})
    return redirect("comments:person", pk=supporter.pk)


@require_POST
@staff_required(permission=MODERATE)
def unban_person(request, pk):
    supporter = get_object_or_404(Supporter, pk=pk)
    if moderation.unban(supporter):
        messages.success(request, _("%(name)s can comment again.") % {"name": supporter.name})
    return redirect("comments:person", pk=supporter.pk)


@require_http_methods(["GET", "HEAD", "POST"])
@staff_required(permission=MODERATE)
def blocklist(request):
    form = BlockedTermForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            term = form.save(commit=False)
            term.added_by = request.user
            term.save()
            messages.success(request, _("“%(value)s” added.") % {"value": term.value})
            return redirect("comments:blocklist")
    terms = BlockedTerm.objects.select_related("added_by")
    return render(
        request,
        "comments/moderate/blocklist.html",
        {"form": form, "terms": terms, "bans": Ban.objects.select_related("supporter")},
        status=400 if form.errors else 200,
    )


@require_POST
@staff_required(permission=MODERATE)
def blocklist_remove(request, pk):
    term = get_object_or_404(BlockedTerm, pk=pk)
    term.delete()
    messages.success(request, _("“%(value)s” removed.") % {"value": term.value})
    return redirect("comments:blocklist")
