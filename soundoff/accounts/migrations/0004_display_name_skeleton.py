"""The confusables skeleton of every display name, as a second unique key.

Names that were accepted before and now collide with an older reader's name
(a Cyrillic "Аlice" registered after "Alice") can't both keep their names
under the new rule. The older account keeps it, having had it first; the
newer one gets " (2)" after its name, as imports name clashing authors.
The column becomes unique in the next migration (a separate transaction,
which PostgreSQL wants after rows were updated).
"""

from django.db import migrations, models

from soundoff.lib.names import display_name_key, display_name_skeleton, numbered


def fill_skeletons(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    keys: set[str] = set(User.objects.values_list("display_name_key", flat=True))
    skeletons: set[str] = set()
    for user in User.objects.order_by("pk").only("pk", "display_name", "display_name_key"):
        name = user.display_name
        number = 2
        while display_name_skeleton(name) in skeletons or (
            name != user.display_name and display_name_key(name) in keys
        ):
            name = numbered(user.display_name, number)
            number += 1
        if name != user.display_name:
            keys.discard(user.display_name_key)
            keys.add(display_name_key(name))
        skeletons.add(display_name_skeleton(name))
        User.objects.filter(pk=user.pk).update(
            display_name=name,
            display_name_key=display_name_key(name),
            display_name_skeleton=display_name_skeleton(name),
        )


class Migration(migrations.Migration):
    dependencies = [("accounts", "0003_email_verified_at")]

    operations = [
        migrations.AddField(
            model_name="user",
            name="display_name_skeleton",
            field=models.CharField(editable=False, max_length=400, null=True),
        ),
        migrations.RunPython(fill_skeletons, migrations.RunPython.noop),
    ]
