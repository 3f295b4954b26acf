"""The "Campaigners" group, with every permission the workspace needs. Other apps may
add their own permissions to the same group (found by name)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

from clamour.workspace.roles import CAMPAIGNER_PERMISSIONS, CAMPAIGNERS


def make_group(apps, schema_editor):
    # Permissions are normally created after all migrations ran: make them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=CAMPAIGNERS)
    for app_label, codename in CAMPAIGNER_PERMISSIONS:
        group.permissions.add(Permission.objects.get(content_type__app_label=app_label,
                                                     codename=codename))


class Migration(migrations.Migration):
    dependencies = [
        ("workspace", "0002_tallies"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("campaigns", "0001_initial"),
        ("actions", "0004_submission_utm_and_dashboard_indexes"),
    ]

    operations = [migrations.RunPython(make_group, migrations.RunPython.noop)]
