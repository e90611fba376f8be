"""Site search (/suche/) on SQLite (fallback) and PostgreSQL (German full-text search)."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from roadmap.publishing import Status
from roadmap.search import RESULTS_PER_TYPE, Highlighter, parse_query, stem
from tests import factories

pytestmark = pytest.mark.django_db

ON_POSTGRES = connection.vendor == "postgresql"


def search(client, query):
    response = client.get("/suche/", {"q": query})
    assert response.status_code == 200
    return response.content.decode()


def main_part(html):
    return html[html.index("<main") : html.index("</main>")]


# --------------------------------------------------------------------------- finding


def test_search_finds_a_published_criterion_by_a_word_of_its_title(client, roadmap):
    html = main_part(search(client, "Problemanalyse"))
    assert 'href="/kriterien/problemanalyse/"' in html
    assert 'id="treffer-kriterien"' in html
    assert "1 Treffer für „Problemanalyse“" in html


@pytest.mark.parametrize(
    "stored, query",
    [
        ("Betreibermodell", "Betreibermodelle"),
        ("Kommune", "Kommunen"),
        ("Kommunen", "Kommune"),
        ("Förderung", "förderung"),
    ],
)
def test_search_finds_inflected_and_differently_cased_words(client, roadmap, stored, query):
    factories.criterion(roadmap["first"], title=f"{stored} im Blick", slug="im-blick")
    assert 'href="/kriterien/im-blick/"' in search(client, query)


def test_german_stem_strips_common_endings_but_keeps_short_words():
    assert stem("Kommunen") == "kommun"
    assert stem("Kommune") == "kommun"
    assert stem("Betreibermodelle") == "betreibermodell"
    assert stem("Betreibermodellen") == "betreibermodell"
    assert stem("Daten") == "date"
    assert stem("IT") == "it"


def test_search_uses_the_engine_of_the_database_it_runs_on(client, roadmap):
    """German full-text search on PostgreSQL, the word-stem fallback on SQLite."""
    with CaptureQueriesContext(connection) as queries:
        search(client, "Kommunen")
    sql = " ".join(query["sql"] for query in queries.captured_queries)
    uses_full_text = all(part in sql for part in ("websearch_to_tsquery", "'german'", "ts_rank"))
    assert uses_full_text == ON_POSTGRES
    if not ON_POSTGRES:
        assert "LIKE" in sql.upper()


SEARCHED_FIELDS = [
    ("criterion", "title", "Kriterium"),
    ("criterion", "summary", "Kriterium"),
    ("criterion", "body", "Kriterium"),
    ("example", "title", "Praxisbeispiel"),
    ("example", "municipality", "Praxisbeispiel"),
    ("example", "summary", "Praxisbeispiel"),
    ("example", "body", "Praxisbeispiel"),
    ("example", "lessons_learned", "Praxisbeispiel"),
    ("operator_model", "name", "Betreibermodell"),
    ("operator_model", "abbreviation", "Betreibermodell"),
    ("operator_model", "summary", "Betreibermodell"),
    ("operator_model", "description", "Betreibermodell"),
    ("phase", "name", "Phase"),
    ("phase", "teaser", "Phase"),
    ("phase", "description", "Phase"),
    ("milestone", "title", "Meilenstein"),
    ("milestone", "description", "Meilenstein"),
    ("milestone", "question", "Meilenstein"),
    ("glossary_term", "term", "Glossarbegriff"),
    ("glossary_term", "definition", "Glossarbegriff"),
    ("resource", "title", "Ressource"),
    ("resource", "publisher", "Ressource"),
    ("resource", "description", "Ressource"),
]


def make(kind, roadmap, **fields):
    if kind in {"criterion", "example", "milestone"}:
        return getattr(factories, kind)(roadmap["first"], **fields)
    return getattr(factories, kind)(**fields)


@pytest.mark.parametrize("kind, field_name, label", SEARCHED_FIELDS)
def test_search_looks_into_every_text_field_and_labels_the_type(
    client, roadmap, kind, field_name, label
):
    obj = make(kind, roadmap, **{field_name: "Quartiersspeicher"})
    html = main_part(search(client, "Quartiersspeicher"))
    assert f'href="{obj.get_absolute_url()}"' in html
    assert f'<span class="search-result__type">{label}</span>' in html


def test_search_links_sub_phases_to_their_phase_page(client, roadmap):
    factories.phase(parent=roadmap["first"], name="Quartiersspeicher", slug="speicher", number="")
    assert 'href="/phasen/ideenfindung/#speicher"' in search(client, "Quartiersspeicher")


def test_search_lists_title_hits_before_body_hits(client, roadmap):
    body = "Ein Zweckverband braucht eine Satzung."
    factories.criterion(roadmap["first"], title="Satzung", slug="im-text", body=body)
    factories.criterion(roadmap["first"], title="Zweckverband gründen", slug="im-titel")
    html = search(client, "Zweckverband")
    assert html.index('href="/kriterien/im-titel/"') < html.index('href="/kriterien/im-text/"')


def test_search_requires_every_word_and_honours_exclusions(client, roadmap):
    factories.criterion(roadmap["first"], title="Zweckverband und Stadtwerke", slug="beides")
    factories.criterion(roadmap["first"], title="Zweckverband allein", slug="allein")
    both = search(client, "Zweckverband Stadtwerke")
    assert 'href="/kriterien/beides/"' in both
    assert 'href="/kriterien/allein/"' not in both
    excluded = search(client, "Zweckverband -Stadtwerke")
    assert 'href="/kriterien/allein/"' in excluded
    assert 'href="/kriterien/beides/"' not in excluded


def test_query_parser_understands_or_and_minus_like_websearch():
    parsed = parse_query("Zweckverband or Stadtwerke -GmbH für IT-Dienstleister")
    assert parsed.groups == [["zweckverband", "stadtwerk"], ["it"], ["dienstleist"]]
    assert parsed.excluded == ["gmbh"]


# --------------------------------------------------------------------------- drafts


def test_search_never_finds_drafts(client, roadmap):
    first = roadmap["first"]
    hidden_phase = factories.phase(name="Geheimwort Entwurfsgruppe", status=Status.DRAFT)
    factories.criterion(first, title="Geheimwort offen", slug="offen")
    factories.criterion(first, title="Geheimwort Entwurfskriterium", status=Status.DRAFT)
    factories.example(first, title="Geheimwort Entwurfsbeispiel", status=Status.DRAFT)
    factories.operator_model(name="Geheimwort Entwurfsmodell", status=Status.DRAFT)
    factories.glossary_term(term="Geheimwort Entwurfsbegriff", status=Status.DRAFT)
    factories.resource(title="Geheimwort Entwurfsstudie", status=Status.DRAFT)
    factories.milestone(first, title="Geheimwort Entwurfsmeilenstein", status=Status.DRAFT)
    factories.milestone(hidden_phase, title="Geheimwort Meilenstein einer Entwurfsphase")
    factories.phase(parent=hidden_phase, name="Geheimwort Teilphase einer Entwurfsphase")

    html = main_part(search(client, "Geheimwort"))
    assert 'href="/kriterien/offen/"' in html
    assert "1 Treffer für „Geheimwort“" in html
    assert "Entwurf" not in html


# --------------------------------------------------------------------------- snippets


def test_snippet_highlights_the_matched_word_in_plain_text(client, roadmap):
    body = "## Worum geht es?\n\nDer **Regelbetrieb** beginnt [bald](/x/)."
    factories.criterion(roadmap["first"], title="Betrieb", slug="betrieb", body=body)
    html = main_part(search(client, "Regelbetrieb"))
    snippet = re.search(r'class="search-result__snippet">(.*?)</p>', html).group(1)
    assert snippet == "Worum geht es? Der <mark>Regelbetrieb</mark> beginnt bald."


def test_snippet_escapes_editor_text_and_drops_scripts(client, roadmap):
    factories.criterion(
        roadmap["first"],
        title="Regelbetrieb <em>sicher</em>",
        slug="sicher",
        summary="Kurz.",
        body='Der Regelbetrieb <script>alert("boese")</script> ist <img src=x onerror=alert(1)>.',
    )
    factories.criterion(
        roadmap["first"], title="Ohne Markdown", slug="ohne", summary="<b>Regelbetrieb</b> & mehr"
    )
    html = search(client, "Regelbetrieb")
    assert "<script>alert" not in html
    assert "boese" not in html
    assert "onerror" not in html
    assert "<em>sicher</em>" not in html
    assert "<mark>Regelbetrieb</mark> &lt;em&gt;sicher&lt;/em&gt;" in html
    assert "&lt;b&gt;<mark>Regelbetrieb</mark>&lt;/b&gt; &amp; mehr" in html


def test_search_escapes_the_query_everywhere_it_is_shown(client, roadmap):
    html = search(client, '<script>alert("q")</script> Problemanalyse')
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&quot;q&quot;)&lt;/script&gt; Problemanalyse" in html


def test_highlighter_marks_whole_words_and_never_matches_inside_entities():
    highlighter = Highlighter(["amp", "kommun"])
    assert highlighter.highlight("A & B, interkommunale Kommunen") == (
        "A &amp; B, <mark>interkommunale</mark> <mark>Kommunen</mark>"
    )


def test_snippet_is_short_and_centred_on_the_first_match():
    text = "Anfang " + "Füllwort " * 60 + "Zweckverband " + "Füllwort " * 60
    snippet = Highlighter(["zweckverband"]).snippet(["", text])
    assert snippet.startswith("… ") and snippet.endswith(" …")
    assert "<mark>Zweckverband</mark>" in snippet
    assert len(snippet) < 300


# --------------------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    "query",
    [
        '"', "'", "&", "|", "!", ":*", "Kommune:*", "!!!Daten & (Schutz", "a' OR '1'='1",
        "'; DROP TABLE phases_criterion; --", "%", "_", "__", "100%_sicher", "\\", "\x00",
        "Pro\x00blem", "(((", "<>", "-", "- -Problemanalyse", "or", "or or", "Kommune | !",
        "ünïcödé ☃ 𝔘", "\u200b",
    ],
)  # fmt: skip
def test_special_characters_never_break_the_search(client, roadmap, query):
    response = client.get("/suche/", {"q": query})
    assert response.status_code == 200
    assert "<h1>Suche</h1>" in response.content.decode()


@pytest.mark.parametrize("query", ["%", "_", "__", "!", ":*", "or"])
def test_wildcards_and_operators_alone_do_not_match_everything(client, roadmap, query):
    html = search(client, query)
    assert "problemanalyse" not in html
    assert "Keine Treffer" in html


def test_empty_query_shows_the_form_and_a_hint_but_no_results(client, roadmap):
    for query in ("", "   "):
        html = main_part(search(client, query))
        assert 'name="q" value=""' in html
        assert "Geben Sie oben einen Suchbegriff ein" in html
        assert "search-results" not in html
        assert "Keine Treffer" not in html
    assert "<title>Suche – Skalierungsroadmap</title>" in search(client, "")


def test_empty_query_does_not_search_the_database(client, roadmap):
    with CaptureQueriesContext(connection) as queries:
        search(client, "")
    assert not any("phases_criterion" in query["sql"] for query in queries.captured_queries)


def test_very_long_query_is_cut_to_200_characters(client, roadmap):
    html = main_part(search(client, "Problemanalyse " + "x" * 500))
    value = re.search(r'id="suche-begriff" type="search" name="q" value="([^"]*)"', html).group(1)
    assert len(value) == 200
    assert value.startswith("Problemanalyse x")
    assert "Suchbegriff gekürzt" in html


def test_no_results_message_suggests_glossary_and_criteria_explorer(client, roadmap):
    html = main_part(search(client, "Xylophonorchester"))
    assert "Keine Treffer für „Xylophonorchester“" in html
    assert 'href="/glossar/"' in html
    assert 'href="/kriterien/"' in html
    assert "search-results" not in html


# --------------------------------------------------------------------------- page


def test_page_has_query_in_title_one_h1_and_keeps_the_query_in_the_field(client, roadmap):
    html = search(client, "Problemanalyse")
    assert "<title>Suche: Problemanalyse – Skalierungsroadmap</title>" in html
    assert html.count("<h1") == 1
    assert 'id="suche-begriff" type="search" name="q" value="Problemanalyse"' in html
    assert '<label class="kern-label" for="suche-begriff">Suchbegriff</label>' in html
    assert '<li aria-current="page">Suche</li>' in html


def test_results_per_type_are_capped_but_the_total_is_shown(client, roadmap):
    for n in range(RESULTS_PER_TYPE + 5):
        factories.criterion(roadmap["first"], title=f"Zweckverband Nummer {n}")
    html = main_part(search(client, "Zweckverband"))
    assert html.count('class="search-result"') == RESULTS_PER_TYPE
    assert f"({RESULTS_PER_TYPE + 5} Treffer)" in html
    assert f"Gezeigt werden die {RESULTS_PER_TYPE} passendsten von {RESULTS_PER_TYPE + 5}" in html


def add_matching_content(roadmap, times):
    first = roadmap["first"]
    for _ in range(times):
        factories.criterion(first, [roadmap["economic"]], summary="Quartiersspeicher planen")
        factories.example(first, summary="Quartiersspeicher im Betrieb")
        factories.operator_model(summary="Quartiersspeicher betreiben")
        factories.phase(parent=first, number="", teaser="Quartiersspeicher entwerfen")
        factories.milestone(first, question="Ist der Quartiersspeicher geplant?")
        factories.glossary_term(definition="Ein Quartiersspeicher speichert Energie.")
        factories.resource(description="Leitfaden zum Quartiersspeicher.")


def count_queries(client):
    with CaptureQueriesContext(connection) as queries:
        html = search(client, "Quartiersspeicher")
    return len(queries), main_part(html).count('class="search-result"')


def test_query_count_is_small_and_does_not_grow_with_content(
    client, roadmap, django_assert_max_num_queries
):
    add_matching_content(roadmap, 1)
    with django_assert_max_num_queries(10):
        search(client, "Quartiersspeicher")
    once, hits_once = count_queries(client)
    add_matching_content(roadmap, 2)
    thrice, hits_thrice = count_queries(client)
    assert (hits_once, hits_thrice) == (7, 21)
    assert once == thrice
