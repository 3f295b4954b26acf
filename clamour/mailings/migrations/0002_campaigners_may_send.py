from django.db import migrations


def grant(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    content_type, _ = ContentType.objects.get_or_create(app_label="mailings", model="mailing")
    permission, _ = Permission.objects.get_or_create(
        content_type=content_type, codename="send_mailing",
        defaults={"name": "Can send a mailing"})
    group, _ = Group.objects.get_or_create(name="Campaigners")
    group.permissions.add(permission)


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    group = Group.objects.filter(name="Campaigners").first()
    if group is not None:
        group.permissions.remove(*Permission.objects.filter(
            content_type__app_label="mailings", codename="send_mailing"))


class Migration(migrations.Migration):
    dependencies = [
        ("mailings", "0001_mailings_and_bounces"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
