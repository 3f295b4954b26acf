import pytest

from clamour.testing.auth import log_in_staff
from clamour.workspace.roles import campaigners_group


@pytest.fixture
def member_of_campaigners(db, django_user_model):
    """Staff in the Campaigners group (not a superuser): what the role allows, no more."""
    user = django_user_model.objects.create_user(
        "cam", "cam@example.org", "a long test password 3", is_staff=True)
    user.groups.add(campaigners_group())
    return user


@pytest.fixture
def campaigners_client(client, member_of_campaigners):
    return log_in_staff(client, member_of_campaigners)


@pytest.fixture
def volunteer(db, django_user_model):
    """Staff who may see the workspace but not export personal data."""
    from django.contrib.auth.models import Permission

    user = django_user_model.objects.create_user(
        "volunteer", "volunteer@example.org", "a long test password 4", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="use_workspace"))
    return user
