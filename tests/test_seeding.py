"""Seeding never overwrites editors' work; every entry has its "Ausgangsfassung"."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Q
from django.urls import reverse
from reversion.models import Version

from editorial.editorial_groups import CHEFREDAKTION
from phases.models import Criterion, CrossReference
from tests.admin_helpers import change_form_data, editor, logged_in
from workspace.content import load_content
from workspace.seeding import INITIAL_COMMENT, ensure_initial_revisions

pytestmark = pytest.mark.django_db


@pytest.fixture
def content(shipped_content):
    """The shipped content, loaded once per session (tests/conftest.py)."""
    return Criterion.objects.order_by("pk").first()


def start_sequence():
    """What `make run` and `make serve` run before serving."""
    call_command("migrate", "--noinput", verbosity=0)
    out = StringIO()
    call_command("load_content", stdout=out)
    call_command("ensure_initial_revisions", stdout=StringIO())
    return out.getvalue()


def comments(obj):
    return [v.revision.get_comment() for v in Version.objects.get_for_object(obj)]


def test_every_loaded_entry_has_its_original_as_first_revision(content):
    assert comments(content) == [INITIAL_COMMENT]
    reference = CrossReference.objects.first()
    assert Version.objects.get_for_object(reference).exists()
    assert ensure_initial_revisions() == 0  # idempotent


def test_an_admin_edit_survives_the_start_sequence_and_history_shows_original_and_edit(
    content, django_user_model
):
    client = logged_in(editor(django_user_model, "chefin", CHEFREDAKTION))
    url = reverse("admin:phases_criterion_change", args=[content.pk])
    response = client.post(url, change_form_data(client, url, summary="Von der Redaktion."))
    assert response.status_code == 302
    report = start_sequence()
    content.refresh_from_db()
    assert content.summary == "Von der Redaktion."
    assert "0 Einträge ergänzt" in report and "unverändert gelassen" in report
    history = comments(content)
    assert len(history) == 2 and history[-1] == INITIAL_COMMENT


def test_missing_entries_are_added_again_without_touching_the_others(content):
    other = Criterion.objects.exclude(pk=content.pk).first()
    Criterion.objects.filter(pk=other.pk).update(summary="Geändert.")
    CrossReference.objects.filter(Q(source=content) | Q(target_criterion=content)).delete()
    removed = content.slug
    Criterion.objects.filter(pk=content.pk).delete()
    report = load_content()
    assert Criterion.objects.filter(slug=removed).exists()
    assert Criterion.objects.get(pk=other.pk).summary == "Geändert."
    assert report.total_added >= 1 and report.total_skipped > 100


def test_overwrite_needs_confirmation(content, monkeypatch):
    Criterion.objects.filter(pk=content.pk).update(summary="Geändert.")
    monkeypatch.setattr("builtins.input", lambda prompt: "nein")
    with pytest.raises(CommandError, match="Abgebrochen"):
        call_command("load_content", "--overwrite", stdout=StringIO())
    assert Criterion.objects.get(pk=content.pk).summary == "Geändert."


@pytest.mark.slow  # replaces every shipped entry and records two revisions for each
def test_overwrite_resets_to_the_shipped_text_after_saving_the_edit_as_a_revision(content):
    shipped = content.summary
    Criterion.objects.filter(pk=content.pk).update(summary="Geändert.")
    call_command("load_content", "--overwrite", "--noinput", stdout=StringIO())
    content.refresh_from_db()
    assert content.summary == shipped
    versions = list(Version.objects.get_for_object(content))
    assert versions[0].field_dict["summary"] == shipped
    assert versions[1].field_dict["summary"] == "Geändert."
    assert "Vor dem Zurücksetzen" in versions[1].revision.get_comment()


def test_makefile_and_serve_run_the_safe_start_sequence():
    from django.conf import settings

    makefile = (settings.BASE_DIR / "Makefile").read_text()
    stack = (settings.BASE_DIR / "scripts" / "stack.py").read_text()
    assert "\t$(PY) manage.py load_content\n\t$(PY) manage.py ensure_initial_revisions" in makefile
    assert 'self.manage("load_content")' in stack
    assert 'self.manage("ensure_initial_revisions")' in stack
