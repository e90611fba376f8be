"""Search hits: the query-independent part of a hit (address, title, texts, meta line) is built
once per row content (``search.engine.hit_frame``) and must never show an old state."""

import pytest
from django.urls import set_script_prefix

from search import engine
from search.engine import Hit, hit_frame
from search.snippets import Highlighter
from search.types import TYPES_BY_KEY
from tests import factories

pytestmark = pytest.mark.django_db

CRITERIA = TYPES_BY_KEY["kriterien"]


@pytest.fixture(autouse=True)
def empty_frames():
    hit_frame.cache_clear()
    yield
    hit_frame.cache_clear()
    set_script_prefix("/")


def main_part(client, query):
    response = client.get("/suche/", {"q": query})
    assert response.status_code == 200
    html = response.content.decode()
    return html[html.index("<main") : html.index("</main>")]


def test_a_hit_shows_the_new_phase_name_after_the_phase_is_renamed(client, roadmap):
    factories.criterion(roadmap["first"], title="Quartiersspeicher prüfen", slug="speicher")
    assert "ab P1 Ideenfindung" in main_part(client, "Quartiersspeicher")
    phase = roadmap["first"]
    phase.name = "Ideensuche"
    phase.save()
    html = main_part(client, "Quartiersspeicher")
    assert "ab P1 Ideensuche" in html
    assert "Ideenfindung" not in html


def test_a_hit_shows_the_new_text_after_an_edit(client, roadmap):
    criterion = factories.criterion(
        roadmap["first"], title="Quartiersspeicher", slug="speicher", summary="Alter Wortlaut."
    )
    assert "Alter Wortlaut." in main_part(client, "Quartiersspeicher")
    criterion.summary = "Neuer Wortlaut."
    criterion.save()
    html = main_part(client, "Quartiersspeicher")
    assert "Neuer Wortlaut." in html
    assert "Alter Wortlaut." not in html


def criterion_row(criterion, **columns):
    """A criterion hit's row as the search query returns it (``search.types``)."""
    return {
        "pk": criterion.pk,
        "slug": criterion.slug,
        "title": criterion.title,
        "summary": "",
        "body_html": "",
        "phase__number": "P1",
        "phase__name": "Ideenfindung",
        "total_hits": 1,
        **columns,
    }


def test_hit_addresses_follow_the_script_prefix_of_the_request(roadmap):
    row = criterion_row(roadmap["criterion"])
    highlighter = Highlighter(["problem"])
    assert Hit.build(CRITERIA, row, highlighter).url == "/kriterien/problemanalyse/"
    set_script_prefix("/roadmap/")
    assert Hit.build(CRITERIA, row, highlighter).url == "/roadmap/kriterien/problemanalyse/"


def test_repeated_searches_build_each_hit_frame_once(client, roadmap, monkeypatch):
    built = []
    original = engine.instance_from_row
    monkeypatch.setattr(
        engine, "instance_from_row", lambda *args: built.append(1) or original(*args)
    )
    main_part(client, "Problemanalyse")
    first = len(built)
    html = main_part(client, "Problemanalyse")
    assert first > 0
    assert len(built) == first
    assert "<mark>Problemanalyse</mark>" in html


def test_the_highlight_follows_each_query_though_the_frame_is_shared(roadmap):
    row = criterion_row(roadmap["criterion"], title="Problemanalyse im Quartier", total_hits=3)
    first = Hit.build(CRITERIA, row, Highlighter(["problem"]))
    second = Hit.build(CRITERIA, {**row, "total_hits": 1}, Highlighter(["quartier"]))
    assert first.title == "<mark>Problemanalyse</mark> im Quartier"
    assert second.title == "Problemanalyse im <mark>Quartier</mark>"
    assert hit_frame.cache_info().currsize == 1  # the number of hits is not part of the key
