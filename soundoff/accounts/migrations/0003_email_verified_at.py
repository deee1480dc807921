from django.db import migrations, models
from django.db.models import F


def existing_accounts_are_confirmed(apps, schema_editor):
    # Accounts made before addresses were confirmed have been commenting
    # under the old rules; asking all of them for a link at once would stop
    # a site's discussion on upgrade. New accounts and every change of
    # address are confirmed from now on. Unclaimed imported identities are
    # confirmed by their claim.
    User = apps.get_model("accounts", "User")
    User.objects.filter(is_claimed=True).update(email_verified_at=F("date_joined"))


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_default_policies")]

    operations = [
        migrations.AddField(
            model_name="user",
            name="email_verified_at",
            field=models.DateTimeField(
                blank=True, editable=False, null=True, verbose_name="e-mail confirmed"
            ),
        ),
        migrations.RunPython(existing_accounts_are_confirmed, migrations.RunPython.noop),
    ]
