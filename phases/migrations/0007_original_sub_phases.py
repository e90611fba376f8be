"""Sub-phases as in the original roadmap (issue 16).

The fixtures now name the sub-phases P1 Ideenfindung → Konzept → Proof of Concept,
P2 Prototyping → Development → MVP, P3 Pilot, P4 Verstetigung und Nachhaltigkeit →
Skalierung, P5 Horizontale Skalierung. `load_content` only adds and updates rows, so
an existing database would keep the old sub-phases next to the new ones. This
migration moves the old rows that have a successor of the same meaning (keeping their
primary key and every link), and unpublishes the rest after handing their criterion
links to the successor. On an empty database it does nothing.
"""

from django.db import migrations

# old slug → (new slug, new parent slug, new name, new order)
RENAMED = {
    "p2-proof-of-concept": ("p1-proof-of-concept", "ideenfindung", "Proof of Concept", 3),
    "p3-development": ("p2-development", "prototypentwicklung", "Development", 2),
    "p3-pilotbetrieb": ("p3-pilot", "pilotphase", "Pilot", 1),
    "p5-transfervorbereitung": (
        "p5-horizontale-skalierung",
        "transfer",
        "Horizontale Skalierung",
        1,
    ),
}
# old slug → successor slug; the old row becomes a draft, its criteria move over.
RETIRED = {
    "p3-auswertung": "p3-pilot",
    "p4-ueberfuehrung": "p4-nachhaltigkeit",
    "p5-uebertragung": "p5-horizontale-skalierung",
    "p5-gemeinsamer-betrieb": "p5-horizontale-skalierung",
}
RETIRED_ORDER = 90


def renumber_trees(Phase):
    """Recompute the MPTT fields from parent and order, as django-mptt would store them."""
    rows = list(Phase.objects.order_by("order", "pk"))
    children = {}
    for row in rows:
        children.setdefault(row.parent_id, []).append(row)

    def visit(node, counter, tree_id, level):
        node.tree_id, node.level, node.lft = tree_id, level, counter
        counter += 1
        for child in children.get(node.pk, []):
            counter = visit(child, counter, tree_id, level + 1)
        node.rght = counter
        return counter + 1

    for tree_id, root in enumerate(children.get(None, []), start=1):
        visit(root, 1, tree_id, 0)
    Phase.objects.bulk_update(rows, ["tree_id", "level", "lft", "rght"])


def move_criteria(Criterion, old, new):
    for criterion in Criterion.objects.filter(sub_phases=old):
        criterion.sub_phases.add(new)
        criterion.sub_phases.remove(old)


def adopt_original_sub_phases(apps, schema_editor):
    Phase = apps.get_model("phases", "Phase")
    Criterion = apps.get_model("phases", "Criterion")
    by_slug = {phase.slug: phase for phase in Phase.objects.all()}
    if not by_slug:
        return
    retired, changed = dict(RETIRED), False
    for old_slug, (new_slug, parent_slug, name, order) in RENAMED.items():
        old, parent = by_slug.get(old_slug), by_slug.get(parent_slug)
        if old is None or parent is None:
            continue
        if new_slug in by_slug:
            retired.setdefault(old_slug, new_slug)
            continue
        old.slug, old.parent_id, old.name, old.order = new_slug, parent.pk, name, order
        old.save(update_fields=["slug", "parent", "name", "order"])
        by_slug[new_slug] = old
        changed = True
    for old_slug, successor_slug in retired.items():
        old = by_slug.get(old_slug)
        if old is None or old.slug != old_slug:
            continue
        successor = by_slug.get(successor_slug)
        if successor is not None:
            move_criteria(Criterion, old, successor)
        old.status, old.order = "draft", RETIRED_ORDER
        old.save(update_fields=["status", "order"])
        changed = True
    if changed:
        renumber_trees(Phase)


class Migration(migrations.Migration):
    dependencies = [
        ("phases", "0006_milestone_decision_kind"),
    ]

    operations = [
        migrations.RunPython(adopt_original_sub_phases, migrations.RunPython.noop),
    ]
