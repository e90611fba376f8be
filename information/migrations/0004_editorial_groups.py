"""Creates the two editor groups with the rights they had when this migration was written.

Frozen copy of the group matrix of that time: migrations never import application code.
Later changes to the groups are made by ``editorial``'s post_migrate handler and by
``manage.py setup_editorial_groups``.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

REDAKTION = "Redaktion"
CHEFREDAKTION = "Chefredaktion"

# (app label, model name) of everything editors curate.
CONTENT_MODELS = (
    ("phases", "phase"),
    ("phases", "milestone"),
    ("phases", "workstream"),
    ("phases", "stakeholder"),
    ("phases", "scalingdriver"),
    ("phases", "operatormodel"),
    ("phases", "criterion"),
    ("phases", "criterionworkstream"),
    ("phases", "crossreference"),
    ("phases", "phasereference"),
    ("examples", "practiceexample"),
    ("examples", "resource"),
    ("roadmap", "glossaryterm"),
    ("roadmap", "page"),
)
# Content that only "Chefredaktion" may delete: the structure everything else hangs on.
STRUCTURE_MODELS = {
    ("phases", "phase"),
    ("phases", "workstream"),
    ("phases", "stakeholder"),
    ("phases", "scalingdriver"),
    ("roadmap", "page"),
}
# Link rows without a publication state of their own.
LINK_MODELS = {
    ("phases", "criterionworkstream"),
    ("phases", "crossreference"),
    ("phases", "phasereference"),
}
# Managing editors: accounts (never the superuser flag, see roadmap/admin.py) and lockouts.
ACCOUNT_PERMISSIONS = (
    ("auth", "user", ("view", "add", "change")),
    ("auth", "group", ("view",)),
    ("axes", "accessattempt", ("view", "delete")),
    ("axes", "accessfailurelog", ("view",)),
)


def permission_matrix():
    """{group name: {(app label, codename), …}}."""
    redaktion, chefredaktion = set(), set()
    for app_label, model in CONTENT_MODELS:
        for action in ("view", "add", "change"):
            redaktion.add((app_label, f"{action}_{model}"))
        if (app_label, model) not in STRUCTURE_MODELS:
            redaktion.add((app_label, f"delete_{model}"))
        chefredaktion.add((app_label, f"delete_{model}"))
        if (app_label, model) not in LINK_MODELS:
            chefredaktion.add((app_label, f"publish_{model}"))
    for app_label, model, actions in ACCOUNT_PERMISSIONS:
        chefredaktion.update((app_label, f"{action}_{model}") for action in actions)
    return {REDAKTION: redaktion, CHEFREDAKTION: redaktion | chefredaktion}


def ensure_editorial_groups(apps):
    """Create both groups (if missing) and set their permissions to exactly the matrix."""
    # Permissions are normally created after all migrations ran; make sure they exist now.
    # Inside a migration the app configs have no models module, which create_permissions
    # takes as "no models here"; pretend there is one for the call.
    for app_config in apps.get_app_configs():
        models_module = getattr(app_config, "models_module", None)
        app_config.models_module = models_module or True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = models_module
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, wanted in permission_matrix().items():
        group, _ = Group.objects.get_or_create(name=name)
        app_labels = {app_label for app_label, _ in wanted}
        candidates = Permission.objects.filter(content_type__app_label__in=app_labels)
        permissions = [
            perm
            for perm in candidates.select_related("content_type")
            if (perm.content_type.app_label, perm.codename) in wanted
        ]
        missing = wanted - {(p.content_type.app_label, p.codename) for p in permissions}
        if missing:
            raise LookupError(f"Permissions missing for group {name}: {sorted(missing)}")
        group.permissions.set(permissions)


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
