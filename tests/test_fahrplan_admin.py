"""Editors maintain lead times and document templates in the admin."""

import pytest

from editorial.editorial_groups import CHEFREDAKTION
from phases.models import Criterion, Milestone
from selfcheck.documents.models import Vorlage
from tests import factories
from tests.admin_helpers import change_form_data, editor

pytestmark = pytest.mark.django_db


def test_editor_sets_the_lead_time_of_a_criterion(chefredaktion, roadmap):
    # Chefredaktion: Redaktion's edits of published criteria wait for review (test_review.py).
    criterion = roadmap["criterion"]
    url = f"/admin/phases/criterion/{criterion.pk}/change/"
    data = change_form_data(
        chefredaktion, url, lead_time_months="12", lead_time_reason="eine EU-weite Ausschreibung"
    )
    response = chefredaktion.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    criterion = Criterion.objects.get(pk=criterion.pk)
    assert (criterion.lead_time_months, criterion.lead_time_reason) == (
        12,
        "eine EU-weite Ausschreibung",
    )


def test_lead_time_beyond_five_years_is_refused(redaktion, roadmap):
    milestone = roadmap["milestone"]
    url = f"/admin/phases/milestone/{milestone.pk}/change/"
    response = redaktion.post(url, change_form_data(redaktion, url, lead_time_months="61"))
    assert response.status_code == 200
    assert "kleiner oder gleich 60" in response.content.decode()
    assert Milestone.objects.get(pk=milestone.pk).lead_time_months is None


def test_milestone_inline_on_the_phase_offers_the_lead_time(redaktion, roadmap):
    html = redaktion.get(f"/admin/phases/phase/{roadmap['first'].pk}/change/").content.decode()
    assert 'name="milestones-0-lead_time_months"' in html
    assert "Vorlauf vor Förderende in Monaten" in html


def test_editor_adds_a_template_as_draft_and_chefredaktion_may_publish_it(
    redaktion, roadmap, django_user_model
):
    phase = roadmap["first"]
    response = redaktion.get("/admin/selfcheck/vorlage/add/")
    assert response.status_code == 200 and "{kapitel_je_arbeitsstrang}" in response.content.decode()
    data = change_form_data(
        redaktion,
        "/admin/selfcheck/vorlage/add/",
        title="Übergabeprotokoll",
        slug="uebergabeprotokoll",
        kind="betriebskonzept",
        purpose="Für die Übergabe an den Betrieb.",
        body="# Übergabe\n{loesung} geht an {kommune}.",
        phases=[str(phase.pk)],
        status="published",
    )
    assert redaktion.post("/admin/selfcheck/vorlage/add/", data).status_code == 302
    vorlage = Vorlage.objects.get(slug="uebergabeprotokoll")
    assert vorlage.status == "draft" and list(vorlage.phases.all()) == [phase]
    chefin = editor(django_user_model, "chefredakteurin", CHEFREDAKTION)
    assert chefin.has_perm("selfcheck.publish_vorlage")
    assert chefin.has_perm("selfcheck.delete_vorlage")


def test_templates_appear_in_the_pages_section_of_the_admin(redaktion, db):
    factories.phase()
    html = redaktion.get("/admin/").content.decode()
    assert "/admin/selfcheck/vorlage/" in html
