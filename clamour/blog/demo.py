"""Demo blog posts by a staff author and a volunteer, with comments in every
moderation state. Fictional people; addresses on example.org / example.net.

Idempotent: if the first demo post exists, nothing is added again.
"""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from clamour.campaigns.models import Campaign
from clamour.comments.models import BlockedTerm, Comment, Flag, Thread
from clamour.lib.spam import fingerprint
from clamour.supporters.models import Supporter

from .models import Author, Post, PostUpdate, Tag
from .publishing import forget_cached_posts

FIRST_SLUG = "why-the-ammunition-loophole-matters"

STAFF_POST = """\
Governments in New York are arguing over a single clause: whether the Arms Trade Treaty
will control **ammunition** as strictly as the guns that fire it.

It sounds technical. It is not. Guns last for decades; bullets are used up and bought
again, every week, by the forces that commit the worst abuses. A treaty that lets
ammunition flow freely would leave the tap open.

## What the latest draft says

- Export controls apply to the **seven categories of major weapons** and to small arms.
- Ammunition is covered only by a weaker, separate rule: no risk assessment before
  each transfer.
- Gifts and loans under "defence-cooperation agreements" could be exempt.

## What you can do

Write to your government today. The [campaign page](/campaigns/arms-trade-treaty/)
has a letter you can make your own in four minutes.
"""

VOLUNTEER_POST = """\
I had never written to a minister before. I assumed it would take an afternoon and a
stamp. It took four minutes, most of which I spent adding two sentences of my own about
my grandfather, who was a nurse in a country at war.

I am a volunteer, not an expert, and I don't pretend to understand every clause of the
draft. But I understand this: if our government is at the table, it should hear from us
before it decides.

*This post was approved by an editor before it was published, like every volunteer post.*
"""

SUBMITTED_POST = """\
The public gallery is half empty at 9 a.m. and full by noon. These are my notes from a
day of listening to delegations read out their positions.
"""

SCHEDULED_POST = """\
Adoption is not the end. A treaty must be ratified by enough states to enter into force,
and then it must be applied.
"""


def _user(username, email, *, permissions=(), group=None):
    User = get_user_model()
    user, made = User.objects.get_or_create(
        username=username, defaults={"email": email, "is_staff": True}
    )
    if made:
        user.set_unusable_password()  # staff set a password (and a second factor) to use it
        user.save()
    if group is not None:
        user.groups.add(group)
    return user


def _group(name, codenames):
    group, _ = Group.objects.get_or_create(name=name)
    group.permissions.add(*Permission.objects.filter(codename__in=codenames))
    return group


VOLUNTEER_PERMISSIONS = [
    "add_post",
    "change_post",
    "view_post",
    "add_postupdate",
    "change_postupdate",
    "view_postupdate",
    "add_postimage",
    "change_postimage",
    "view_postimage",
    "view_tag",
    "view_author",
]


def _comment(
    post_or_campaign,
    thread,
    supporter,
    body,
    status,
    *,
    minutes_ago,
    parent=None,
    held="",
    notify=False,
):
    when = timezone.now() - timedelta(minutes=minutes_ago)
    return Comment.objects.create(
        thread=thread,
        parent=parent,
        supporter=supporter,
        name=supporter.name,
        body=body,
        status=status,
        held_because=held,
        notify_replies=notify,
        fingerprint=fingerprint(body),
        created_at=when,
        published_at=when if status in (Comment.Status.PUBLISHED, Comment.Status.HIDDEN) else None,
    )


@transaction.atomic
def load_demo() -> dict:
    if Post.objects.filter(slug=FIRST_SLUG).exists():
        return {"posts": 0}
    now = timezone.now()
    editors = _group(
        "Editors",
        VOLUNTEER_PERMISSIONS
        + ["publish_post", "add_tag", "change_tag", "add_author", "change_author"],
    )
    volunteers = _group("Volunteer writers", VOLUNTEER_PERMISSIONS)
    _group("Moderators", ["moderate_comment", "view_comment"])
    priya = _user("priya", "priya@example.org", group=editors)
    tom = _user("tom", "tom@example.org", group=volunteers)
    staff_author, _ = Author.objects.get_or_create(
        slug="priya-policy",
        defaults={
            "name": "Priya Policy",
            "user": priya,
            "role": Author.Role.STAFF,
            "bio": "Arms control policy lead. Has followed the treaty talks since 2006.",
        },
    )
    volunteer, _ = Author.objects.get_or_create(
        slug="tom-volunteer",
        defaults={
            "name": "Tom Volunteer",
            "user": tom,
            "role": Author.Role.VOLUNTEER,
            "bio": "Volunteer, retired teacher, first-time letter writer.",
        },
    )
    tags = {
        name: Tag.objects.get_or_create(slug=slug, defaults={"name": name})[0]
        for name, slug in [
            ("Arms Trade Treaty", "arms-trade-treaty"),
            ("Ammunition", "ammunition"),
            ("Volunteers", "volunteers"),
        ]
    }
    campaign = Campaign.objects.filter(slug="arms-trade-treaty").first()

    main = Post.objects.create(
        slug=FIRST_SLUG,
        title="Days to go: why the ammunition loophole matters",
        summary="Guns last for decades; bullets are bought every week. Here is what the draft "
        "treaty says about ammunition, and what you can do before the talks close.",
        body=STAFF_POST,
        status=Post.Status.PUBLISHED,
        published_at=now - timedelta(days=2),
        campaign=campaign,
        approved_by=priya,
    )
    main.authors.add(staff_author)
    main.tags.add(tags["Arms Trade Treaty"], tags["Ammunition"])
    PostUpdate.objects.create(
        post=main,
        title="Ammunition is back in the text",
        body="The chair's new draft brings ammunition under the export "
        "controls. One loophole remains: gifts and loans.",
        published_at=now - timedelta(hours=5),
    )

    second = Post.objects.create(
        slug="why-i-wrote-to-the-minister",
        title="Why I wrote to the minister (and why it took four minutes)",
        summary="A first-time letter writer on adding two sentences of his own.",
        body=VOLUNTEER_POST,
        status=Post.Status.PUBLISHED,
        published_at=now - timedelta(days=1),
        campaign=campaign,
        approved_by=priya,
    )
    second.authors.add(volunteer)
    second.tags.add(tags["Volunteers"], tags["Arms Trade Treaty"])

    waiting = Post.objects.create(
        slug="notes-from-the-public-gallery",
        title="Notes from the public gallery",
        summary="A day of listening to delegations.",
        body=SUBMITTED_POST,
        status=Post.Status.SUBMITTED,
    )
    waiting.authors.add(volunteer)
    scheduled = Post.objects.create(
        slug="after-adoption",
        title="After adoption: ratification and what comes next",
        summary="Why the work starts when the treaty is signed.",
        body=SCHEDULED_POST,
        status=Post.Status.PUBLISHED,
        published_at=now + timedelta(days=3),
        approved_by=priya,
    )
    scheduled.authors.add(staff_author)

    BlockedTerm.objects.get_or_create(kind=BlockedTerm.Kind.WORD, value="casino")
    BlockedTerm.objects.get_or_create(kind=BlockedTerm.Kind.DOMAIN, value="cheap-pills.example")

    people = {}
    for email, name in [
        ("amina@example.net", "Amina Okafor"),
        ("lars@example.net", "Lars Berg"),
        ("maryam@example.net", "مریم رضایی"),
        ("jo@example.net", "Jo Newcomer"),
        ("rex@example.net", "Rex Angry"),
        ("bot@example.net", "Best Deals"),
        ("vid@example.net", "Vid Linker"),
        ("guest@example.net", "Gale Guest"),
    ]:
        people[email.split("@")[0]] = Supporter.objects.get_or_create_by_email(email, name=name)

    thread = Thread.objects.create(target=main)
    S = Comment.Status
    top = _comment(
        main,
        thread,
        people["amina"],
        "Thank you for explaining this so clearly. I wrote to "
        "my government this morning and added a line about my cousin in Goma.",
        S.PUBLISHED,
        minutes_ago=60 * 30,
        notify=True,
    )
    _comment(
        main,
        thread,
        people["lars"],
        "Same here. It really did take four minutes.",
        S.PUBLISHED,
        minutes_ago=60 * 26,
        parent=top,
    )
    _comment(
        main,
        thread,
        people["maryam"],
        "از تهران: امیدوارم این معاهده قوی باشد.\n\n(From Tehran: I hope this treaty is strong.)",
        S.PUBLISHED,
        minutes_ago=60 * 3,
    )
    _comment(
        main,
        thread,
        people["jo"],
        "First time commenting. Is there a list of which governments support covering ammunition?",
        S.PENDING,
        minutes_ago=40,
        held="first comment",
    )
    _comment(
        main,
        thread,
        people["vid"],
        "https://video.example/watch?v=abc123",
        S.PENDING,
        minutes_ago=35,
        held="only a link; first comment",
    )
    rude = _comment(
        main,
        thread,
        people["rex"],
        "This is pointless and anyone who signs is an idiot.",
        S.HIDDEN,
        minutes_ago=60 * 20,
        held="flagged by readers",
    )
    for key, reason in [
        ("a", Flag.Reason.ABUSE),
        ("b", Flag.Reason.ABUSE),
        ("c", Flag.Reason.OFF_TOPIC),
    ]:
        Flag.objects.create(comment=rude, flagger=f"demo-{key}", reason=reason, known=True)
    _comment(
        main,
        thread,
        people["rex"],
        "Off-topic rant about the weather, removed by a moderator.",
        S.REJECTED,
        minutes_ago=60 * 22,
    )
    _comment(
        main,
        thread,
        people["bot"],
        "Great post!! Visit https://cheap-pills.example for deals",
        S.SPAM,
        minutes_ago=60 * 10,
        held="blocked domain: cheap-pills.example",
    )
    _comment(
        main,
        thread,
        people["guest"],
        "I would like to help translate the letter into Swahili.",
        S.UNCONFIRMED,
        minutes_ago=15,
    )

    second_thread = Thread.objects.create(target=second, moderation=Thread.Moderation.PRE)
    _comment(
        second,
        second_thread,
        people["amina"],
        "Lovely post, Tom. Your grandfather would be proud.",
        S.PUBLISHED,
        minutes_ago=60 * 5,
    )
    if campaign is not None:
        campaign_thread, _ = Thread.objects.get_or_create(
            content_type=ContentType.objects.get_for_model(Campaign), object_id=campaign.pk
        )
        _comment(
            campaign,
            campaign_thread,
            people["lars"],
            "Done! Shared it with my choir as well.",
            S.PUBLISHED,
            minutes_ago=90,
        )
    forget_cached_posts()
    return {"posts": 4}
