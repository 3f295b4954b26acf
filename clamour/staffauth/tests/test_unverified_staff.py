"""Staff who gave their password but not yet their second factor are, until they do,
like any other visitor: nothing unpublished is shown to them."""

from datetime import date

import pytest
from django.urls import reverse

from clamour.blog.models import Post
from clamour.campaigns.models import Campaign
from clamour.testing.auth import log_in_staff
from clamour.testing.blog import make_author, make_post
from clamour.testing.factories import make_campaign
from clamour.testing.treaties import SMALL_NEW, SMALL_OLD, add_draft, make_treaty

pytestmark = pytest.mark.django_db


@pytest.fixture
def unpublished(campaigner):
    author = make_author(user=campaigner)
    make_campaign("secret-plan", status=Campaign.Status.DRAFT)
    submitted = make_post("waiting", status=Post.Status.SUBMITTED, author=author)
    scheduled = make_post("later", days_ago=-2, author=author)
    treaty = make_treaty()
    add_draft(treaty, SMALL_OLD, "July", date(2012, 7, 26), published=True)
    march = add_draft(treaty, SMALL_NEW, "March", date(2013, 3, 27))
    hidden = make_treaty("hidden", is_public=False)
    return [
        "/campaigns/secret-plan/",
        submitted.get_absolute_url(),
        scheduled.get_absolute_url(),
        reverse("treaties:breakdown", args=[treaty.slug, march.slug]),
        reverse("treaties:treaty", args=[hidden.slug]),
    ]


def test_password_only_staff_see_no_unpublished_page(client, campaigner, unpublished):
    client.force_login(campaigner)  # password step done, no code yet
    for url in unpublished:
        assert client.get(url).status_code == 404, url


def test_verified_staff_see_them(client, campaigner, unpublished):
    log_in_staff(client, campaigner)
    for url in unpublished:
        assert client.get(url).status_code == 200, url


def test_password_only_staff_compare_published_drafts_only(client, campaigner):
    treaty = make_treaty()
    july = add_draft(treaty, SMALL_OLD, "July", date(2012, 7, 26), published=True)
    march = add_draft(treaty, SMALL_NEW, "March", date(2013, 3, 27))
    url = reverse("treaties:compare", args=[treaty.slug]) + f"?old={july.slug}&new={march.slug}"
    client.force_login(campaigner)
    assert client.get(url).status_code == 400  # the unpublished draft is not a choice
    log_in_staff(client, campaigner)
    assert client.get(url).status_code == 200


def test_analyst_links_only_for_verified_staff(client, campaigner):
    treaty = make_treaty()
    add_draft(treaty, SMALL_OLD, "July", date(2012, 7, 26), published=True)
    client.force_login(campaigner)
    assert "Analyst pages" not in client.get(reverse("treaties:treaty", args=[treaty.slug])).content.decode()
    log_in_staff(client, campaigner)
    assert "Analyst pages" in client.get(reverse("treaties:treaty", args=[treaty.slug])).content.decode()
