from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("accounts", "0004_display_name_skeleton")]

    operations = [
        migrations.AlterField(
            model_name="user",
            name="display_name_skeleton",
            field=models.CharField(editable=False, max_length=400, unique=True),
        ),
    ]
