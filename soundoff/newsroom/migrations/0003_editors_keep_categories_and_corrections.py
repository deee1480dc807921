"""Editors keep the categories (and the discussion policy each one's new
posts start with) and add updates and corrections to published posts."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITORS_GAIN = [
    ("newsroom", "add_category"),
    ("newsroom", "change_category"),
    ("newsroom", "add_postupdate"),
    ("newsroom", "view_postupdate"),
]


def _editors_and_permissions(apps):
    # Permissions are created after all migrations run; PostUpdate's must
    # exist now for a fresh database's Editors group to hold them.
    newsroom = apps.get_app_config("newsroom")
    newsroom.models_module = True
    create_permissions(newsroom, apps=apps, verbosity=0)
    newsroom.models_module = None
    editors, _ = apps.get_model("auth", "Group").objects.get_or_create(name="Editors")
    permissions = [
        apps.get_model("auth", "Permission").objects.get(
            content_type__app_label=app_label, codename=codename
        )
        for app_label, codename in EDITORS_GAIN
    ]
    return editors, permissions


def grant(apps, schema_editor):
    editors, permissions = _editors_and_permissions(apps)
    editors.permissions.add(*permissions)


def revoke(apps, schema_editor):
    editors, permissions = _editors_and_permissions(apps)
    editors.permissions.remove(*permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("newsroom", "0002_categories_and_updates"),
        ("moderation", "0002_groups"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
