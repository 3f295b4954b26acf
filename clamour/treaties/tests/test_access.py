"""Who may use each analyst page: anonymous people are sent to log in, non-staff and
staff without the model permission get 403, analysts get in."""

from datetime import date

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from clamour.testing.auth import log_in_staff
from clamour.testing.treaties import SMALL_NEW, SMALL_OLD, add_draft, make_treaty
from clamour.treaties.models import Ask, AskAttachment, Correction, Position

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db):
    treaty = make_treaty()
    july = add_draft(treaty, SMALL_OLD, "July", date(2012, 7, 26))
    march = add_draft(treaty, SMALL_NEW, "March", date(2013, 3, 27))
    ask = Ask.objects.create(treaty=treaty, title="All ammunition")
    provision = july.provisions.get(pid="3")
    attachment = AskAttachment.objects.create(ask=ask, lineage=provision.lineage)
    position = Position.objects.create(
        ask=ask, country="FR", stance="supports", date=date(2013, 3, 1)
    )
    correction = Correction.objects.create(
        treaty=treaty,
        old_draft=july,
        new_draft=march,
        kind="forbid",
        old_ids=[provision.pk],
        new_ids=[march.provisions.get(pid="3").pk],
    )
    return {
        "treaty": treaty,
        "july": july,
        "march": march,
        "ask": ask,
        "provision": provision,
        "attachment": attachment,
        "position": position,
        "correction": correction,
    }


# (url name, how to get its args, method, permission it needs)
VIEWS = [
    ("staff_index", lambda w: [], "get", "view_treaty"),
    ("staff_index", lambda w: [], "post", "add_treaty"),
    ("staff_treaty", lambda w: [w["treaty"].slug], "get", "view_treaty"),
    ("staff_treaty_edit", lambda w: [w["treaty"].slug], "get", "change_treaty"),
    ("staff_upload", lambda w: [w["treaty"].slug], "get", "add_draft"),
    ("staff_upload", lambda w: [w["treaty"].slug], "post", "add_draft"),
    ("staff_draft", lambda w: [w["march"].pk], "get", "view_draft"),
    ("staff_draft", lambda w: [w["march"].pk], "post", "change_draft"),
    ("staff_draft_source", lambda w: [w["march"].pk], "get", "view_draft"),
    ("staff_alignment", lambda w: [w["march"].pk], "get", "view_draft"),
    ("staff_correct", lambda w: [w["march"].pk], "post", "add_correction"),
    ("staff_correction_delete", lambda w: [w["correction"].pk], "post", "delete_correction"),
    ("staff_provision", lambda w: [w["provision"].pk], "get", "change_provision"),
    ("staff_provision_merge", lambda w: [w["provision"].pk], "post", "change_provision"),
    ("staff_provision_split", lambda w: [w["provision"].pk], "get", "change_provision"),
    ("staff_asks", lambda w: [w["treaty"].slug], "get", "view_ask"),
    ("staff_asks", lambda w: [w["treaty"].slug], "post", "add_ask"),
    ("staff_ask", lambda w: [w["ask"].pk], "get", "change_ask"),
    ("staff_attach", lambda w: [w["ask"].pk], "post", "add_askattachment"),
    ("staff_detach", lambda w: [w["attachment"].pk], "post", "delete_askattachment"),
    ("staff_attachment_reviewed", lambda w: [w["attachment"].pk], "post", "change_askattachment"),
    ("staff_verdicts", lambda w: [w["march"].pk], "get", "change_verdict"),
    ("staff_positions", lambda w: [w["treaty"].slug], "get", "view_position"),
    ("staff_positions", lambda w: [w["treaty"].slug], "post", "add_position"),
    ("staff_position", lambda w: [w["position"].pk], "get", "change_position"),
    ("staff_positions_import", lambda w: [w["treaty"].slug], "get", "add_position"),
    ("staff_publish", lambda w: [w["march"].pk], "get", "publish_draft"),
    ("staff_publish", lambda w: [w["march"].pk], "post", "publish_draft"),
]
IDS = [f"{name}-{method}" for name, _a, method, _p in VIEWS]


def call(client, world, name, args, method):
    url = reverse(f"treaties:{name}", args=args(world))
    return getattr(client, method)(url, {"action": "publish"} if method == "post" else None)


@pytest.mark.parametrize("name, args, method, permission", VIEWS, ids=IDS)
def test_anonymous_is_sent_to_log_in(client, world, name, args, method, permission):
    response = call(client, world, name, args, method)
    assert response.status_code == 302 and "login" in response["Location"]


@pytest.mark.parametrize("name, args, method, permission", VIEWS, ids=IDS)
def test_logged_in_but_not_staff_is_refused(
    client, outsider, world, name, args, method, permission
):
    client.force_login(outsider)
    assert call(client, world, name, args, method).status_code == 403


@pytest.mark.parametrize("name, args, method, permission", VIEWS, ids=IDS)
def test_staff_without_the_permission_is_refused(
    client, django_user_model, world, name, args, method, permission
):
    user = django_user_model.objects.create_user(
        "clerk", "clerk@example.org", "pw-clerk-123456", is_staff=True
    )
    # Every tracker permission except the one this view needs.
    user.user_permissions.add(
        *Permission.objects.filter(content_type__app_label="treaties").exclude(codename=permission)
    )
    log_in_staff(client, user)
    assert call(client, world, name, args, method).status_code == 403


@pytest.mark.parametrize("name, args, method, permission", VIEWS, ids=IDS)
def test_staff_with_the_permission_gets_in(
    client, django_user_model, world, name, args, method, permission
):
    user = django_user_model.objects.create_user(
        "clerk", "clerk@example.org", "pw-clerk-123456", is_staff=True
    )
    user.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="treaties",
            codename__in=[permission, "view_treaty", "view_draft", "view_ask", "view_position"],
        )
    )
    log_in_staff(client, user)
    assert call(client, world, name, args, method).status_code in (200, 302, 400, 404)  # not 403


def test_staff_without_second_factor_is_sent_to_log_in(client, analyst):
    client.force_login(analyst)  # password only
    response = client.get(reverse("treaties:staff_index"))
    assert response.status_code == 302


def test_unpublished_and_hidden_things_are_not_public(client, world):
    treaty, march = world["treaty"], world["march"]
    assert client.get(march.get_absolute_url()).status_code == 404
    treaty.is_public = False
    treaty.save()
    for url in (
        treaty.get_absolute_url(),
        reverse("treaties:positions", args=[treaty.slug]),
        reverse("treaties:compare", args=[treaty.slug]),
        reverse("treaties:country", args=[treaty.slug, "FR"]),
    ):
        assert client.get(url).status_code == 404, url


def test_every_model_is_in_the_admin(admin_client):
    from django.apps import apps
    from django.contrib import admin

    for model in apps.get_app_config("treaties").get_models():
        if model.__name__ == "ProvisionLineage":
            continue  # the through table, shown on provisions and lineages
        assert model in admin.site._registry, model
        url = reverse(f"admin:treaties_{model._meta.model_name}_changelist")
        assert admin_client.get(url).status_code in (200, 302), url
