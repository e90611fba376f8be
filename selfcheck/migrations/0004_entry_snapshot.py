"""Fahrplan entries survive editorial deletes: SET_NULL plus a snapshot of what they referred to.

Standalone on purpose: no application code is imported; the data step fills the snapshot of
existing rows from the rows they point at.
"""

import django.db.models.deletion
from django.db import migrations, models


def fill_snapshot(apps, schema_editor):
    entry_model = apps.get_model("selfcheck", "FahrplanEntry")
    entries = entry_model.objects.select_related("milestone", "criterion")
    for entry in entries.iterator(chunk_size=500):
        target = entry.milestone or entry.criterion
        if target is None:
            continue
        entry.target_type = "milestone" if entry.milestone_id else "criterion"
        entry.target_slug = target.slug
        entry.title = target.title
        entry.save(update_fields=["target_type", "target_slug", "title"])


class Migration(migrations.Migration):
    dependencies = [
        ("phases", "0010_lead_times"),
        ("selfcheck", "0003_review_dates"),
    ]

    operations = [
        migrations.AddField(
            model_name="fahrplanentry",
            name="target_type",
            field=models.CharField(
                choices=[("milestone", "Meilenstein"), ("criterion", "Kriterium")],
                default="",
                max_length=10,
                verbose_name="Art des Inhalts",
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="fahrplanentry",
            name="target_slug",
            field=models.SlugField(
                default="",
                help_text="Zum Wiederverknüpfen.",
                max_length=120,
                verbose_name="Kurzname des Inhalts",
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="fahrplanentry",
            name="title",
            field=models.CharField(blank=True, max_length=300, verbose_name="Titel des Inhalts"),
        ),
        migrations.RemoveConstraint(
            model_name="fahrplanentry",
            name="fahrplan_entry_one_target",
        ),
        migrations.AlterField(
            model_name="fahrplanentry",
            name="criterion",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="phases.criterion",
                verbose_name="Kriterium",
            ),
        ),
        migrations.AlterField(
            model_name="fahrplanentry",
            name="milestone",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="phases.milestone",
                verbose_name="Meilenstein",
            ),
        ),
        migrations.AddConstraint(
            model_name="fahrplanentry",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("milestone__isnull", True), ("criterion__isnull", True), _connector="OR"
                ),
                name="fahrplan_entry_at_most_one_target",
            ),
        ),
        # Last: on PostgreSQL no table may be altered after rows changed in this transaction.
        migrations.RunPython(fill_snapshot, migrations.RunPython.noop),
    ]
