"""Stored HTML beside the Markdown of phases, workstreams, milestones, criteria
and operator models, filled for every existing row
(core/stored_markdown.py renders it on every later save)."""

import markdown
import nh3
from django.db import migrations, models

APP_LABEL = "phases"
HTML_FIELDS = {
    "phase": {"description": "description_html"},
    "workstream": {"description": "description_html"},
    "milestone": {"description": "description_html"},
    "criterion": {"body": "body_html", "legal_status_note": "legal_status_note_html"},
    "operatormodel": {"description": "description_html", "advantages": "advantages_html", "disadvantages": "disadvantages_html"},
}

# A frozen copy of core.markdown.render_markdown as of this migration (migrations import no
# application code). A later change to the pipeline does not belong here: run
# `manage.py render_markdown` after it.
ALLOWED_TAGS = {
    "a", "abbr", "blockquote", "br", "code", "dd", "dl", "dt", "em", "h2", "h3", "h4",
    "hr", "li", "ol", "p", "pre", "strong", "sub", "sup", "table", "tbody", "td", "th",
    "thead", "tr", "ul",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "td": {"align"},
    "th": {"align", "scope"},
}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}
EXTENSIONS = ["tables", "sane_lists"]


def render(source):
    html = markdown.markdown(source or "", extensions=EXTENSIONS, output_format="html")
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer",
    )


def fill_html(apps, schema_editor):
    """Every existing row gets the HTML of its Markdown; the sources stay as they are."""
    for model_name, fields in HTML_FIELDS.items():
        model = apps.get_model(APP_LABEL, model_name)
        rows = model._base_manager.using(schema_editor.connection.alias)
        for row in list(rows.values("pk", *fields)):
            html = {target: render(row[source]) for source, target in fields.items()}
            rows.filter(pk=row["pk"]).update(**html)


class Migration(migrations.Migration):

    dependencies = [
        ('phases', '0012_editorial_marks_and_old_sources'),
    ]

    operations = [
        migrations.AddField(
            model_name='criterion',
            name='body_html',
            field=models.TextField(blank=True, default='', editable=False, serialize=False),
        ),
        migrations.AddField(
            model_name='criterion',
            name='legal_status_note_html',
            field=models.TextField(blank=True, default='', editable=False, serialize=False),
        ),
        migrations.AddField(
            model_name='milestone',
            name='description_html',
            field=models.TextField(blank=True, default='', editable=False, serialize=False),
        ),
        migrations.AddField(
            model_name='operatormodel',
            name='advantages_html',
            field=models.TextField(blank=True, default='', editable=False, serialize=False),
        ),
        migrations.AddField(
            model_name='operatormodel',
            name='description_html',
            field=models.TextField(blank=True, default='', editable=False, serialize=False),
        ),
        migrations.AddField(
            model_name='operatormodel',
            name='disadvantages_html',
            field=models.TextField(blank=True, default='', editable=False, serialize=False),
        ),
        migrations.AddField(
            model_name='phase',
            name='description_html',
            field=models.TextField(blank=True, default='', editable=False, serialize=False),
        ),
        migrations.AddField(
            model_name='workstream',
            name='description_html',
            field=models.TextField(blank=True, default='', editable=False, serialize=False),
        ),
        migrations.RunPython(fill_html, migrations.RunPython.noop),
    ]
