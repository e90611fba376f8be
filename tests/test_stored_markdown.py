"""Markdown rendered on save (core/stored_markdown.py): the stored HTML follows its text on
every way a row is written, previews show the edited text, pages read the stored column."""

import importlib
import io
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.core import serializers
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from reversion.models import Version

from core import lookups
from core.cache import bump_generation, current_generation
from core.markdown import render_markdown
from core.publishing import Status
from core.stored_markdown import stored_markdown_fields
from editorial.models import PendingChange
from information.models import Page
from phases.models import Criterion, Milestone
from tests import factories
from tests.admin_helpers import change_form_data
from tests.test_xss import MARKDOWN_FIELDS

pytestmark = pytest.mark.django_db

OLD_BODY = "## Alte Fassung\n\nDer **bisherige** Text."
NEW_BODY = "## Neue Fassung\n\nDer *vorgeschlagene* Text mit [Link](/glossar/)."
HOSTILE = '<script>alert(1)</script> [klick](javascript:alert(1)) <a href="JaVaScRiPt:x">a</a>'


def models_with_markdown():
    return [model for model in apps.get_models() if stored_markdown_fields(model)]


def stale_rows():
    """(model, pk, column) of every row whose stored HTML is not its text's rendering."""
    return [
        (model.__name__, obj.pk, field.name)
        for model in models_with_markdown()
        for obj in model._base_manager.all()
        for field in stored_markdown_fields(model)
        if getattr(obj, field.name) != render_markdown(getattr(obj, field.source))
    ]


def stored(obj, column):
    return type(obj)._base_manager.values_list(column, flat=True).get(pk=obj.pk)


def change_url(obj):
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])


def edit(client, obj, **changes):
    url = change_url(obj)
    response = client.post(url, change_form_data(client, url, **changes))
    assert response.status_code == 302, response.context["adminform"].form.errors


@pytest.fixture
def criterion(roadmap):
    criterion = roadmap["criterion"]
    criterion.body = OLD_BODY
    criterion.save()
    return criterion


# --- Filled on every write --------------------------------------------------------------------


def test_every_markdown_field_of_every_model_has_a_stored_html_column():
    declared = {(field.model, field.name) for field in MARKDOWN_FIELDS}
    columns = {
        (model, field.source)
        for model in models_with_markdown()
        for field in stored_markdown_fields(model)
    }
    assert columns == declared


@pytest.mark.parametrize("field", MARKDOWN_FIELDS, ids=str)
def test_saving_stores_the_sanitized_html_and_no_script_or_javascript_link_gets_in(roadmap, field):
    obj, _url = field.build(roadmap)
    setattr(obj, field.name, f"Vorspann **fett**\n\n{HOSTILE}")
    obj.save()
    html = stored(obj, f"{field.name}_html")
    assert "<strong>fett</strong>" in html
    assert html == render_markdown(getattr(obj, field.name))
    assert "<script" not in html.lower() and "javascript:" not in html.lower()


def test_saving_only_the_text_column_also_stores_its_html(criterion):
    criterion.body = NEW_BODY
    criterion.save(update_fields=["body"])
    assert stored(criterion, "body_html") == render_markdown(NEW_BODY)


def test_a_row_loaded_without_its_html_column_stores_the_new_html_on_save(criterion):
    row = Criterion.objects.defer("body_html").get(pk=criterion.pk)
    row.body = NEW_BODY
    row.save()
    assert stored(criterion, "body_html") == render_markdown(NEW_BODY)


def test_a_row_loaded_without_its_text_keeps_its_html_and_loads_nothing_more(criterion):
    row = Criterion.objects.defer("body", "body_html").get(pk=criterion.pk)
    row.title = "Neuer Titel"
    with CaptureQueriesContext(connection) as queries:
        row.save()
    assert not [query for query in queries if query["sql"].startswith("SELECT")]  # no lazy load
    assert '"body_html"' not in queries[0]["sql"]
    assert stored(criterion, "body_html") == render_markdown(OLD_BODY)


def test_loading_the_shipped_content_stores_the_html_of_every_text(shipped_content):
    # load_content deserializes raw, as loaddata does: save() is skipped.
    assert Criterion.objects.exclude(body_html="").count() == Criterion.objects.count() > 0
    assert stale_rows() == []


def test_benchmark_copies_written_with_bulk_create_have_their_html(roadmap, monkeypatch):
    monkeypatch.setenv("ROADMAP_BENCHMARK", "1")
    call_command("generate_synthetic_content", "--factor", "2", stdout=io.StringIO())
    assert Criterion.objects.filter(slug__startswith="synth-").exists()
    assert stale_rows() == []


# --- Derived data: not in dumps, revisions, the admin form or the review diff -------------------


def test_the_html_stays_out_of_dumps_and_revisions(chefredaktion, criterion):
    edit(chefredaktion, criterion, body=NEW_BODY)
    dump = serializers.serialize("yaml", Criterion.objects.all())
    assert "body_html" not in dump and "legal_status_note_html" not in dump
    version = Version.objects.get_for_object(criterion).first()
    assert "Neue Fassung" in version.serialized_data
    assert "_html" not in version.serialized_data
    form = chefredaktion.get(change_url(criterion)).content.decode()
    assert 'name="body_html"' not in form


def test_restoring_an_old_version_brings_back_the_html_of_its_text(chefredaktion, criterion):
    edit(chefredaktion, criterion, body=OLD_BODY + "\n\nErste Fassung.")
    old = Version.objects.get_for_object(criterion).first()
    edit(chefredaktion, criterion, body=NEW_BODY)
    assert "Neue Fassung" in stored(criterion, "body_html")
    old.revision.revert()  # raw save, as django-reversion restores
    assert stored(criterion, "body_html") == render_markdown(OLD_BODY + "\n\nErste Fassung.")


# --- Previews show the edited text, the public page the live one -------------------------------


@pytest.fixture
def pending_body(redaktion, criterion):
    edit(redaktion, criterion, body=NEW_BODY)
    return PendingChange.objects.get()


def test_the_review_preview_shows_the_html_of_the_pending_text_and_the_public_page_the_old(
    redaktion, client, criterion, pending_body
):
    preview = redaktion.get(f"{criterion.get_absolute_url()}?aenderung={pending_body.pk}")
    assert "<h2>Neue Fassung</h2>" in preview.content.decode()
    assert "<em>vorgeschlagene</em>" in preview.content.decode()
    public = client.get(criterion.get_absolute_url()).content.decode()
    assert "<h2>Alte Fassung</h2>" in public and "Neue Fassung" not in public
    assert stored(criterion, "body_html") == render_markdown(OLD_BODY)


def test_the_review_diff_names_the_text_but_not_its_stored_html(
    chefredaktion, criterion, pending_body
):
    page = chefredaktion.get(reverse("admin:review_change", args=[pending_body.pk]))
    assert page.status_code == 200
    assert [entry["label"] for entry in page.context["diff"]] == ["Text"]
    assert "body html" not in page.content.decode().lower()


def test_approving_the_pending_text_puts_its_html_live(
    chefredaktion, client, criterion, pending_body
):
    review = reverse("admin:review_change", args=[pending_body.pk])
    token = chefredaktion.get(review).context["live_token"]
    chefredaktion.post(review, {"aktion": "freigeben", "live_stand": token})
    assert "<h2>Neue Fassung</h2>" in client.get(criterion.get_absolute_url()).content.decode()


def test_the_draft_preview_shows_the_html_of_the_edited_draft(chefredaktion, client, roadmap):
    draft = factories.criterion(roadmap["first"], [roadmap["economic"]], status=Status.DRAFT)
    edit(chefredaktion, draft, body=NEW_BODY)
    page = chefredaktion.get(draft.get_absolute_url())
    assert "Entwurf" in page.content.decode() and "<h2>Neue Fassung</h2>" in page.content.decode()
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_the_admin_markdown_preview_renders_the_posted_text_not_the_stored_html(
    chefredaktion, criterion
):
    response = chefredaktion.post(reverse("admin:markdown_preview"), {"text": NEW_BODY})
    assert response.json()["html"] == str(render_markdown(NEW_BODY))
    form = chefredaktion.get(change_url(criterion)).content.decode()
    assert "<h2>Alte Fassung</h2>" in form  # the widget's preview of the saved text
    assert stored(criterion, "body_html") == render_markdown(OLD_BODY)


# --- Pages read the stored column -----------------------------------------------------------------


def test_public_pages_and_search_snippets_show_the_stored_html(client, criterion):
    criterion.body = "Der Text nennt das Suchwortzwiebel."
    criterion.save()
    Criterion.objects.filter(pk=criterion.pk).update(
        body_html="<p>Gespeichertes HTML nennt das Suchwortzwiebel.</p>"
    )
    page = client.get(criterion.get_absolute_url()).content.decode()
    assert "<p>Gespeichertes HTML nennt das Suchwortzwiebel.</p>" in page
    assert "Der Text nennt" not in page
    search = client.get("/suche/", {"q": "Suchwortzwiebel"}).content.decode()
    assert "Gespeichertes HTML nennt das <mark>Suchwortzwiebel</mark>" in search


# --- Re-rendering after a pipeline change and the data migration ---------------------------------


def test_render_markdown_command_renders_stale_html_again_and_invalidates_cached_pages(
    criterion, settings
):
    settings.PAGE_CACHE_ENABLED = True
    Criterion.objects.filter(pk=criterion.pk).update(body_html="<p>veraltet</p>")
    bump_generation()
    before = current_generation()
    out = io.StringIO()
    call_command("render_markdown", stdout=out)
    assert "1 Einträge mit geändertem HTML" in out.getvalue()
    assert stored(criterion, "body_html") == render_markdown(OLD_BODY)
    assert current_generation() != before
    out = io.StringIO()
    call_command("render_markdown", stdout=out)
    assert "0 Einträge mit geändertem HTML" in out.getvalue()


@pytest.mark.parametrize(
    "module",
    [
        "phases.migrations.0013_stored_markdown_html",
        "examples.migrations.0009_stored_markdown_html",
        "information.migrations.0007_stored_markdown_html",
    ],
)
def test_the_data_migration_fills_existing_rows_as_the_pipeline_does(roadmap, module):
    migration = importlib.import_module(module)
    factories.example(roadmap["first"], body=NEW_BODY, lessons_learned=HOSTILE)
    factories.resource(description=OLD_BODY)
    factories.glossary_term(definition=NEW_BODY)
    factories.operator_model(advantages=HOSTILE)
    Page.objects.create(title="Impressum", slug="impressum", body=OLD_BODY)
    for model in models_with_markdown():
        model._base_manager.update(**{f.name: "" for f in stored_markdown_fields(model)})
    migration.fill_html(apps, SimpleNamespace(connection=SimpleNamespace(alias="default")))
    migrated = {apps.get_model(migration.APP_LABEL, name) for name in migration.HTML_FIELDS}
    assert migrated and all(model._base_manager.exists() for model in migrated)
    names = {model.__name__ for model in migrated}
    assert [row for row in stale_rows() if row[0] in names] == []


def test_migrate_brings_html_of_an_older_pipeline_up_to_date(criterion):
    Criterion.objects.filter(pk=criterion.pk).update(body_html="<p>ältere Verarbeitung</p>")
    call_command("migrate", "--noinput", verbosity=0)
    assert stored(criterion, "body_html") == render_markdown(OLD_BODY)


def test_render_markdown_command_renews_the_lookup_tables_pages_are_built_from(client, roadmap):
    milestone = roadmap["milestone"]
    milestone.description = OLD_BODY
    milestone.save()
    Milestone.objects.filter(pk=milestone.pk).update(description_html="<p>veraltet</p>")
    lookups.bump()  # as if the stale HTML had been there all along
    url = roadmap["first"].get_absolute_url()
    assert "<p>veraltet</p>" in client.get(url).content.decode()
    call_command("render_markdown", stdout=io.StringIO())
    page = client.get(url).content.decode()
    assert "<h2>Alte Fassung</h2>" in page and "veraltet" not in page
