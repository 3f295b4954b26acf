import pytest


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Uploaded originals go to a fresh directory per test, so "nothing stored" can be
    checked on disk too."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    # Argon2 is deliberately slow; these tests create many users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def analyst(db, django_user_model):
    """Staff with exactly the treaty tracker's permissions (not a superuser)."""
    from django.contrib.auth.models import Permission

    user = django_user_model.objects.create_user(
        "analyst", "analyst@example.org", "a long test password 3", is_staff=True
    )
    user.user_permissions.add(*Permission.objects.filter(content_type__app_label="treaties"))
    return user


@pytest.fixture
def analyst_client(client, analyst):
    from clamour.testing.auth import log_in_staff

    return log_in_staff(client, analyst)
