"""The two editor groups and what each may do.

"Redaktion" adds and changes content. It never publishes, never deletes the taxonomy or the
information pages (phases, workstreams, scaling drivers, stakeholders, pages) and never
touches user accounts. "Chefredaktion" may do everything "Redaktion" may, and also publish,
delete any content and manage editors' accounts. Superusers are for operators only.

Publishing is a permission of its own per content model (``<app>.publish_<model>``, from
``Meta.permissions``), so the admin can ask ``user.has_perm()`` like for any other right.

``ensure_editorial_groups`` is idempotent: the data migration runs it, and so does
``manage.py setup_editorial_groups`` after new content models were added.
"""

from django.contrib.auth.management import create_permissions

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
    ("phases", "criterionredirect"),
    ("examples", "practiceexample"),
    ("examples", "resource"),
    ("examples", "source"),
    ("roadmap", "glossaryterm"),
    ("roadmap", "page"),
    ("selfcheck", "vorlage"),
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
    ("phases", "criterionredirect"),
    ("examples", "source"),
}
# Managing editors: accounts (never the superuser flag, see editorial/admin.py) and lockouts.
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
