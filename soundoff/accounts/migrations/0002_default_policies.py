from django.db import migrations

from soundoff.accounts.default_policies import install_default_policies


def install(apps, schema_editor):
    install_default_policies(apps.get_model("accounts", "PolicyVersion"),
                             apps.get_model("accounts", "ConductRule"))


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]

    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
