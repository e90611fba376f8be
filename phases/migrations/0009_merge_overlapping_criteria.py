"""Fold three overlapping criteria into the ones that stay, without deleting anything.

Fixtures no longer contain "nutzertests", "beteiligung-pilot" and "finanzcontrolling", but
loading fixtures never removes rows from an existing database. For each merged criterion
this migration

- moves visitors' Fahrplan entries to the kept criterion (a plan that already has an entry
  there gets both notes joined; if they do not fit, the old entry stays where it was),
- moves cross-references, practice examples, resources and sources to the kept criterion
  (a link that would duplicate an existing one or point to itself stays on the old row),
- unpublishes the old row and renames its slug, so the old address is free for the
  redirect, and records the redirect (301) to the kept criterion.

Nothing is deleted except a Fahrplan entry whose tick and note were copied in full.
A fresh database has none of these rows; there the fixtures create the redirects.
"""

from django.db import migrations

MERGES = {
    "nutzertests": (
        "nutzerzentrierung",
        "Mit „Nutzerzentrierung, Nutzertests und Beteiligung“ zusammengeführt (Dezember 2026).",
    ),
    "beteiligung-pilot": (
        "nutzerzentrierung",
        "Mit „Nutzerzentrierung, Nutzertests und Beteiligung“ zusammengeführt (Dezember 2026).",
    ),
    "finanzcontrolling": (
        "betriebskosten",
        "Mit „Betriebskosten ermitteln und über den Lebenszyklus steuern“ zusammengeführt "
        "(Dezember 2026).",
    ),
}
TARGET_FIELDS = (
    "target_criterion",
    "target_milestone",
    "target_phase",
    "target_example",
    "target_operator_model",
    "target_resource",
)


def move_entries(Entry, old, kept):
    max_length = Entry._meta.get_field("note").max_length
    for entry in Entry.objects.filter(criterion=old):
        existing = Entry.objects.filter(fahrplan_id=entry.fahrplan_id, criterion=kept).first()
        if existing is None:
            entry.criterion = kept
            entry.save(update_fields=["criterion"])
            continue
        labelled = f"{old.title}: {entry.note}" if entry.note else ""
        note = "\n".join(part for part in (existing.note, labelled) if part)
        if len(note) > max_length:
            continue  # Both notes do not fit in one: keep the old entry untouched.
        existing.note = note
        existing.done = existing.done or entry.done
        existing.save(update_fields=["note", "done"])
        entry.delete()


def move_references(CrossReference, old, kept):
    for ref in CrossReference.objects.filter(source=old):
        field = next(name for name in TARGET_FIELDS if getattr(ref, f"{name}_id") is not None)
        value = getattr(ref, f"{field}_id")
        if field == "target_criterion" and value == kept.pk:
            continue
        if CrossReference.objects.filter(source=kept, **{f"{field}_id": value}).exists():
            continue
        ref.source = kept
        ref.save(update_fields=["source"])
    for ref in CrossReference.objects.filter(target_criterion=old):
        if ref.source_id == kept.pk:
            continue
        if CrossReference.objects.filter(source_id=ref.source_id, target_criterion=kept).exists():
            continue
        ref.target_criterion = kept
        ref.save(update_fields=["target_criterion"])


def free_slug(Criterion, old):
    base = f"{old.slug}-zusammengefuehrt"
    slug, n = base, 1
    while Criterion.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    title = f"{old.title} (zusammengeführt)"[:200]
    if Criterion.objects.filter(title=title).exclude(pk=old.pk).exists():
        title = f"{old.title} ({slug})"[:200]
    old.slug, old.title, old.status = slug, title, "draft"
    old.save(update_fields=["slug", "title", "status"])


def merge(apps, schema_editor):
    Criterion = apps.get_model("phases", "Criterion")
    CriterionRedirect = apps.get_model("phases", "CriterionRedirect")
    CrossReference = apps.get_model("phases", "CrossReference")
    Entry = apps.get_model("selfcheck", "FahrplanEntry")
    linked = [
        apps.get_model("examples", "PracticeExample"),
        apps.get_model("examples", "Resource"),
        apps.get_model("examples", "Source"),
    ]
    for old_slug, (kept_slug, note) in MERGES.items():
        kept = Criterion.objects.filter(slug=kept_slug).first()
        if kept is None:
            continue
        old = Criterion.objects.filter(slug=old_slug).first()
        if old is not None:
            move_entries(Entry, old, kept)
            move_references(CrossReference, old, kept)
            for model in linked:
                for item in model.objects.filter(criteria=old):
                    item.criteria.add(kept)
            kept.milestones.add(*old.milestones.all())
            kept.stakeholders.add(*old.stakeholders.all())
            kept.sub_phases.add(*old.sub_phases.all())
            free_slug(Criterion, old)
        CriterionRedirect.objects.update_or_create(
            old_slug=old_slug, defaults={"criterion": kept, "note": note}
        )


class Migration(migrations.Migration):
    dependencies = [
        ("phases", "0008_criterion_redirects"),
        ("examples", "0005_sources"),
        ("selfcheck", "0001_initial"),
    ]

    operations = [migrations.RunPython(merge, migrations.RunPython.noop)]
