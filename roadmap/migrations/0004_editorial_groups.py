from django.db import migrations

from roadmap.editorial_groups import ensure_editorial_groups


def create_groups(apps, schema_editor):
    ensure_editorial_groups(apps)


def remove_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Group.objects.filter(name__in=["Redaktion", "Chefredaktion"]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("axes", "0010_accessattemptexpiration"),
        ("roadmap", "0003_publish_permissions"),
        ("phases", "0003_publish_permissions"),
        ("examples", "0003_publish_permissions"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
