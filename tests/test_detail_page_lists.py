"""Criterion and example pages take their lists from the lookup tables
(phases/criterion_page.py, examples/example_page.py).

They must keep the order, the visibility rule and the freshness of the prefetches they replace.
"""

import pytest

from core.publishing import Status
from tests import factories

pytestmark = pytest.mark.django_db


def html_of(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def positions(html, *texts):
    return [html.index(text) for text in texts]


def test_criterion_page_lists_examples_resources_and_sources_in_their_models_order(client, roadmap):
    criterion = roadmap["criterion"]
    for title in ("Zeta-Beispiel", "Alpha-Beispiel"):
        factories.example(roadmap["first"], title=title).criteria.add(criterion)
    for title in ("Zeta-Ressource", "Alpha-Ressource"):
        factories.resource(title=title).criteria.add(criterion)
    for publisher in ("Zeta-Verlag", "Alpha-Verlag"):
        factories.source(publisher=publisher).criteria.add(criterion)
    html = html_of(client, criterion.get_absolute_url())
    for first, second in (
        ("Alpha-Beispiel", "Zeta-Beispiel"),
        ("Alpha-Ressource", "Zeta-Ressource"),
        ("Alpha-Verlag", "Zeta-Verlag"),
    ):
        assert positions(html, first, second) == sorted(positions(html, first, second))


def test_criterion_page_orders_milestones_by_phase_then_order(client, roadmap):
    criterion = roadmap["criterion"]
    late = factories.milestone(roadmap["second"], title="Betrieb gesichert", order=1)
    after_first = roadmap["milestone"].order + 1
    early = factories.milestone(roadmap["first"], title="Zuletzt im ersten", order=after_first)
    criterion.milestones.add(late, early, roadmap["milestone"])
    html = html_of(client, criterion.get_absolute_url())
    expected = positions(html, "Bedarf belegt", "Zuletzt im ersten", "Betrieb gesichert")
    assert expected == sorted(expected)
    assert f'href="/phasen/pilotphase/#meilenstein-{late.slug}"' in html


def test_criterion_page_leaves_out_draft_examples_resources_and_milestones(client, roadmap):
    criterion = roadmap["criterion"]
    draft_example = factories.example(
        roadmap["first"], title="Geheimes Beispiel", status=Status.DRAFT
    )
    draft_phase = factories.phase(status=Status.DRAFT)
    hidden_example = factories.example(draft_phase, title="Beispiel einer Entwurfsphase")
    draft_resource = factories.resource(title="Geheime Ressource", status=Status.DRAFT)
    draft_milestone = factories.milestone(
        roadmap["first"], title="Geheimer Meilenstein", status=Status.DRAFT
    )
    draft_example.criteria.add(criterion)
    hidden_example.criteria.add(criterion)
    draft_resource.criteria.add(criterion)
    criterion.milestones.add(draft_milestone)
    html = html_of(client, criterion.get_absolute_url())
    for text in ("Geheimes Beispiel", "Entwurfsphase", "Geheime Ressource", "Geheimer Meil"):
        assert text not in html
    draft_example.status = Status.PUBLISHED
    draft_example.save()
    assert "Geheimes Beispiel" in html_of(client, criterion.get_absolute_url())


def test_an_edited_source_or_example_shows_on_the_next_request(client, roadmap):
    criterion = roadmap["criterion"]
    source = factories.source(title="Alter Titel")
    example = factories.example(roadmap["first"], summary="Alte Kurzfassung.")
    url = criterion.get_absolute_url()
    html_of(client, url)  # builds the lookup tables
    source.criteria.add(criterion)
    example.criteria.add(criterion)
    assert "Alter Titel" in html_of(client, url)
    source.title = "Neuer Titel"
    source.save()
    example.summary = "Neue Kurzfassung."
    example.save()
    html = html_of(client, url)
    assert "Neuer Titel" in html and "Neue Kurzfassung." in html


def test_a_draft_scaling_driver_is_named_nowhere_and_a_public_one_with_its_level(client, roadmap):
    criterion = roadmap["criterion"]
    driver = factories.scaling_driver(name="Gemeinsame Beschaffung", status=Status.DRAFT)
    criterion.scaling_driver = driver
    criterion.save()
    assert "Gemeinsame Beschaffung" not in html_of(client, criterion.get_absolute_url())
    driver.status = Status.PUBLISHED
    driver.save()
    html = html_of(client, criterion.get_absolute_url())
    assert f'<a href="{driver.get_absolute_url()}">Gemeinsame Beschaffung</a>' in html
    assert f"({driver.level_name})" in html


def test_editors_preview_of_a_draft_criterion_in_a_draft_phase_shows_its_phase_and_sources(
    redaktion, roadmap
):
    draft_phase = factories.phase(name="Entwurfsphase", status=Status.DRAFT)
    criterion = factories.criterion(draft_phase, title="Noch geheim", status=Status.DRAFT)
    factories.source(title="Nur hier zitiert").criteria.add(criterion)
    html = html_of(redaktion, criterion.get_absolute_url())
    assert "Entwurfsphase" in html and "Nur hier zitiert" in html


def test_a_new_or_edited_cross_reference_shows_on_the_next_request_in_both_directions(
    client, roadmap
):
    source, target = roadmap["criterion"], factories.criterion(roadmap["second"], title="Ziel")
    html_of(client, source.get_absolute_url())  # builds the lookup tables
    reference = factories.cross_reference(source, target_criterion=target, note="Erste Notiz.")
    assert "Erste Notiz." in html_of(client, source.get_absolute_url())
    reference.note = "Zweite Notiz."
    reference.save()
    assert "Zweite Notiz." in html_of(client, target.get_absolute_url())
    target.status = Status.DRAFT
    target.save()
    assert "Zweite Notiz." not in html_of(client, source.get_absolute_url())


# -- the example page (examples/example_page.py) ------------------------------------------------


def test_example_page_lists_public_criteria_by_phase_then_title_and_its_sources(client, roadmap):
    example = factories.example(roadmap["first"])
    later = factories.criterion(roadmap["second"], title="Aaa in der Pilotphase")
    first = factories.criterion(roadmap["first"], title="Zzz in der Ideenfindung")
    draft = factories.criterion(roadmap["first"], title="Geheimes Kriterium", status=Status.DRAFT)
    example.criteria.add(later, first, draft)
    for publisher in ("Zeta-Verlag", "Alpha-Verlag"):
        factories.source(publisher=publisher).examples.add(example)
    html = html_of(client, example.get_absolute_url())
    assert "Geheimes Kriterium" not in html
    for texts in (("Zzz in der Ideenfindung", "Aaa in der Pilotphase"), ("Alpha-V", "Zeta-V")):
        assert positions(html, *texts) == sorted(positions(html, *texts))


def test_example_page_shows_an_edited_criterion_card_on_the_next_request(client, roadmap):
    example = factories.example(roadmap["first"])
    criterion = roadmap["criterion"]
    example.criteria.add(criterion)
    assert "Problemanalyse" in html_of(client, example.get_absolute_url())
    criterion.title = "Bedarfsanalyse"
    criterion.save()
    criterion.workstreams.add(roadmap["technical"])
    html = html_of(client, example.get_absolute_url())
    assert "Bedarfsanalyse" in html and "Problemanalyse" not in html
    assert "ws-badge--" in html and ">Technisch</span>" in html


def test_editors_preview_of_a_draft_example_in_a_draft_phase_names_its_phase(redaktion, roadmap):
    draft_phase = factories.phase(name="Entwurfsphase", status=Status.DRAFT)
    example = factories.example(draft_phase, title="Noch geheim", status=Status.DRAFT)
    assert "Entwurfsphase" in html_of(redaktion, example.get_absolute_url())
