"""Stored HTML beside the Markdown of practice examples and resources, filled for every existing row
(core/stored_markdown.py renders it on every later save)."""

import markdown
import nh3
from django.db import migrations, models

APP_LABEL = "examples"
HTML_FIELDS = {
    "practiceexample": {"body": "body_html", "lessons_learned": "lessons_learned_html"},
    "resource": {"description": "description_html"},
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
        ('examples', '0008_source_updated_at'),
    ]

    operations = [
        migrations.AddField(
            model_name='practiceexample',
            name='body_html',
            field=models.TextField(blank=True, default='', editable=False, serialize=False),
        ),
        migrations.AddField(
            model_name='practiceexample',
            name='lessons_learned_html',
            field=models.TextField(blank=True, default='', editable=False, serialize=False),
        ),
        migrations.AddField(
            model_name='resource',
            name='description_html',
            field=models.TextField(blank=True, default='', editable=False, serialize=False),
        ),
        migrations.RunPython(fill_html, migrations.RunPython.noop),
    ]
