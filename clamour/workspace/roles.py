"""The roles of the workspace, as groups of permissions."""

from django.contrib.auth.models import Group, Permission
from django.db.models import Q

CAMPAIGNERS = "Campaigners"

# (app label, codename): everything the workspace lets a campaigner do.
CAMPAIGNER_PERMISSIONS = [
    ("workspace", "use_workspace"),
    ("workspace", "export_personal_data"),
    ("campaigns", "view_campaign"),
    ("campaigns", "add_campaign"),
    ("campaigns", "change_campaign"),
    ("campaigns", "view_update"),
    ("campaigns", "add_update"),
    ("actions", "view_action"),
    ("actions", "add_action"),
    ("actions", "change_action"),
    ("actions", "view_target"),
    ("actions", "add_target"),
    ("actions", "change_target"),
    ("actions", "delete_target"),
    ("actions", "view_submission"),
    ("actions", "view_delivery"),
    ("actions", "change_delivery"),
]


def campaigners_group():
    """The Campaigners group with (at least) the workspace's permissions, made if missing
    (the migration makes it; a database emptied since, as between some tests, has none)."""
    group, _made = Group.objects.get_or_create(name=CAMPAIGNERS)
    wanted = Q(pk__in=[])
    for app_label, codename in CAMPAIGNER_PERMISSIONS:
        wanted |= Q(content_type__app_label=app_label, codename=codename)
    group.permissions.add(*Permission.objects.filter(wanted))
    return group
