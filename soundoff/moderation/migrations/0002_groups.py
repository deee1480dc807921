"""The Moderators and Editors groups, so operators grant roles by group."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUPS = {
    "Moderators": [
        ("moderation", "moderate"),
        ("discussion", "view_comment"),
        ("discussion", "change_thread"),
        ("moderation", "view_moderationaction"),
    ],
    "Editors": [
        ("newsroom", "add_post"),
        ("newsroom", "change_post"),
        ("newsroom", "view_post"),
        ("newsroom", "view_category"),
        ("discussion", "change_thread"),
    ],
}


def create_groups(apps, schema_editor):
    # Permissions are normally created after all migrations; make sure they
    # exist now so the groups can hold them on a fresh database.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in GROUPS.items():
        group, _ = Group.objects.get_or_create(name=name)
        for app_label, codename in codenames:
            group.permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )


class Migration(migrations.Migration):
    dependencies = [
        ("moderation", "0001_initial"),
        ("discussion", "0001_initial"),
        ("newsroom", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_groups, migrations.RunPython.noop)]
