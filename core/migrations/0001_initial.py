import secrets

from django.db import migrations, models


def first_token(apps, schema_editor):
    apps.get_model("core", "ContentGeneration").objects.create(pk=1, token=secrets.token_hex(16))


class Migration(migrations.Migration):
    initial = True

    dependencies = []

    operations = [
        migrations.CreateModel(
            name="ContentGeneration",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("token", models.CharField(max_length=32)),
            ],
            options={"verbose_name": "Inhaltsstand", "verbose_name_plural": "Inhaltsstände"},
        ),
        migrations.RunPython(first_token, migrations.RunPython.noop),
    ]
