"""Site search (/suche/) on SQLite (fallback) and PostgreSQL (German full-text search)."""

import importlib
import io
import re
from types import SimpleNamespace

import pytest
from django.core import serializers
from django.core.management import call_command
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.test.utils import CaptureQueriesContext
from django.utils.html import strip_tags
from django.utils.text import slugify

from core.publishing import Status
from information.models import GlossaryTerm
from phases.models import Criterion
from search import snippets as search_module
from search.index import WEIGHTS, fill_missing_search_vectors
from search.query import HITS_PER_PAGE, OVERVIEW_HITS_PER_TYPE, parse_query, stem
from search.snippets import Highlighter
from search.types import CONTENT_TYPES
from tests import factories

pytestmark = pytest.mark.django_db

ON_POSTGRES = connection.vendor == "postgresql"


def search(client, query, **params):
    response = client.get("/suche/", {"q": query, **params})
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


def test_overview_shows_five_hits_per_type_and_links_to_all_hits_of_a_longer_type(client, roadmap):
    for n in range(OVERVIEW_HITS_PER_TYPE + 2):
        factories.criterion(roadmap["first"], title=f"Zweckverband Nummer {n}")
    factories.example(roadmap["first"], title="Zweckverband im Landkreis")
    html = main_part(search(client, "Zweckverband"))
    assert html.count('class="search-result"') == OVERVIEW_HITS_PER_TYPE + 1
    assert (
        f'Kriterien <span class="search-group__count">({OVERVIEW_HITS_PER_TYPE + 2} Treffer)'
        in html
    )
    link = '<a href="/suche/?q=Zweckverband&amp;typ=kriterien">'
    assert (
        f"{link}Alle {OVERVIEW_HITS_PER_TYPE + 2} Kriterien zu „Zweckverband“ anzeigen</a>" in html
    )
    assert "typ=praxisbeispiele" not in html  # one example: nothing more to show


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
    with django_assert_max_num_queries(len(CONTENT_TYPES)):  # one per type
        search(client, "Quartiersspeicher")
    once, hits_once = count_queries(client)
    add_matching_content(roadmap, 2)
    thrice, hits_thrice = count_queries(client)
    assert (hits_once, hits_thrice) == (7, 21)
    assert once == thrice


# --------------------------------------------------------------------------- drill-down


def add_criteria(roadmap, count, word="Zweckverband"):
    return [
        factories.criterion(
            roadmap["first"], title=f"{word} Nummer {n:02}", slug=f"{slugify(word)}-{n}"
        )
        for n in range(count)
    ]


def hit_urls(html):
    return re.findall(r'class="search-result__title"><a href="([^"]+)"', html)


def test_drill_down_pages_through_all_hits_of_one_type(client, roadmap):
    add_criteria(roadmap, HITS_PER_PAGE + 5)
    factories.example(roadmap["first"], title="Zweckverband im Landkreis", slug="im-landkreis")
    first = main_part(search(client, "Zweckverband", typ="kriterien"))
    second = main_part(search(client, "Zweckverband", typ="kriterien", seite="2"))

    assert len(hit_urls(first)) == HITS_PER_PAGE
    assert len(hit_urls(second)) == 5
    assert len(set(hit_urls(first) + hit_urls(second))) == HITS_PER_PAGE + 5
    assert "im-landkreis" not in first + second  # only the chosen type
    assert 'class="search-jump"' not in first
    assert f"{HITS_PER_PAGE + 5} Treffer für „Zweckverband“ · Seite 2 von 2" in second
    assert f'<ol class="search-results" start="{HITS_PER_PAGE + 1}">' in second
    back = '<a href="/suche/?q=Zweckverband">Zurück zu den Treffern aller Arten</a>'
    assert back in first and back in second


def test_drill_down_has_accessible_pagination_that_keeps_query_and_type(client, roadmap):
    add_criteria(roadmap, HITS_PER_PAGE + 1)
    first_page = "/suche/?q=Zweckverband+Nummer&amp;typ=kriterien"
    prefix = f"{first_page}&amp;seite="
    first = main_part(search(client, "Zweckverband Nummer", typ="kriterien"))
    nav = first[first.index('<nav class="pagination" aria-label="Seiten">') :]
    assert f'<a rel="next" href="{prefix}2">Nächste Seite</a>' in nav
    assert (
        f'<a href="{first_page}" aria-current="page" aria-label="Seite 1, aktuelle Seite">1</a>'
        in nav
    )
    assert "Vorherige Seite" not in nav
    second = main_part(search(client, "Zweckverband Nummer", typ="kriterien", seite="2"))
    assert f'<a rel="prev" href="{first_page}">Vorherige Seite</a>' in second
    assert f'<a href="{prefix}2" aria-current="page"' in second
    assert "Nächste Seite" not in second
    assert (
        "<title>Suche: Zweckverband Nummer – Kriterien, Seite 2 – Skalierungsroadmap</title>"
        in (search(client, "Zweckverband Nummer", typ="kriterien", seite="2"))
    )


def test_drill_down_of_a_short_list_has_no_page_links(client, roadmap):
    html = main_part(search(client, "Problemanalyse", typ="kriterien"))
    assert hit_urls(html) == ["/kriterien/problemanalyse/"]
    assert 'aria-label="Seiten"' not in html


def test_drill_down_starts_with_the_hits_the_overview_shows(client, roadmap):
    factories.criterion(roadmap["first"], title="Satzung", slug="im-text", body="Zweckverband.")
    add_criteria(roadmap, OVERVIEW_HITS_PER_TYPE + 2)
    overview = hit_urls(main_part(search(client, "Zweckverband")))
    drill_down = hit_urls(main_part(search(client, "Zweckverband", typ="kriterien")))
    assert drill_down[:OVERVIEW_HITS_PER_TYPE] == overview
    assert drill_down[-1] == "/kriterien/im-text/"  # title hits rank first on both pages


@pytest.mark.parametrize(
    "value, shown_page",
    [
        ("abc", 1),
        ("0", 1),
        ("-1", 1),
        ("99999", 2),
        ("9" * 50, 1),  # longer than any page number: not a number
        ("1.5", 1),
        ("²", 1),
        ("9" * 5000, 1),  # too long for int(): not a number
    ],
)
def test_bad_page_numbers_show_a_page_with_a_note(client, roadmap, value, shown_page):
    add_criteria(roadmap, HITS_PER_PAGE + 1)
    html = main_part(search(client, "Zweckverband", typ="kriterien", seite=value))
    assert f"Diese Seite gibt es nicht; gezeigt wird Seite {shown_page}." in html
    assert len(hit_urls(html)) == (HITS_PER_PAGE if shown_page == 1 else 1)


@pytest.mark.parametrize("value", ["2", "02", " 2 "])
def test_a_valid_page_number_gives_no_note(client, roadmap, value):
    add_criteria(roadmap, HITS_PER_PAGE + 1)
    html = main_part(search(client, "Zweckverband", typ="kriterien", seite=value))
    assert "gibt es nicht" not in html
    assert len(hit_urls(html)) == 1


def test_a_page_number_without_hits_shows_no_hits_and_a_note(client, roadmap):
    html = main_part(search(client, "Xylophonorchester", typ="kriterien", seite="3"))
    assert "Keine Treffer für „Xylophonorchester“" in html
    assert "Diese Seite gibt es nicht; gezeigt wird Seite 1." in html
    assert "Zurück zu den Treffern aller Arten" in html


@pytest.mark.parametrize("value", ["unbekannt", "KRITERIEN", "<script>", "kriterien\x00"])
def test_unknown_type_is_ignored_with_a_note_and_shows_the_overview(client, roadmap, value):
    html = main_part(search(client, "Problemanalyse", typ=value, seite="2"))
    assert "Diese Trefferart gibt es nicht; gezeigt werden Treffer aller Arten." in html
    assert 'class="search-jump"' in html
    assert hit_urls(html) == ["/kriterien/problemanalyse/"]
    assert "Diese Seite gibt es nicht" not in html  # the overview has no pages
    assert "<script>" not in html


def test_drill_down_costs_one_query_however_many_hits_there_are(
    client, roadmap, django_assert_max_num_queries
):
    def queries(**params):
        with CaptureQueriesContext(connection) as captured:
            search(client, "Zweckverband", typ="kriterien", **params)
        return len(captured)

    add_criteria(roadmap, 3)
    with django_assert_max_num_queries(1):
        search(client, "Zweckverband", typ="kriterien")
    few, few_out_of_range = queries(), queries(seite="9")
    add_criteria(roadmap, 3 * HITS_PER_PAGE, word="Zweckverband mehr")
    assert (queries(), queries(seite="2")) == (few, few)
    # A page number beyond the end costs a count and the last page, never more.
    assert queries(seite="9") == few_out_of_range <= 3


# --------------------------------------------------------------------------- stored vectors


def stored_vector(obj):
    return type(obj)._base_manager.values_list("search_vector", flat=True).get(pk=obj.pk)


def test_search_filters_and_ranks_on_the_stored_vector(client, roadmap):
    with CaptureQueriesContext(connection) as queries:
        search(client, "Problemanalyse")
    sql = " ".join(query["sql"] for query in queries.captured_queries)
    assert "to_tsvector" not in sql  # nothing is computed per row at query time
    assert ('"search_vector" @@' in sql) == ON_POSTGRES
    assert ('ts_rank("phases_criterion"."search_vector"' in sql) == ON_POSTGRES


@pytest.mark.parametrize("kind", sorted({kind for kind, _field, _label in SEARCHED_FIELDS}))
def test_saving_stores_the_weighted_vector_on_postgres_and_nothing_on_sqlite(roadmap, kind):
    obj = make(kind, roadmap)
    vector = stored_vector(obj)
    if ON_POSTGRES:
        assert re.search(r"':\d+A\b", vector)  # the title's words, weighted A
    else:
        assert vector is None


@pytest.mark.parametrize("model", sorted(WEIGHTS, key=lambda model: model._meta.label))
def test_content_rows_leave_their_search_vector_in_the_database(roadmap, model):
    assert "search_vector" not in str(model.objects.all().query)
    assert "search_vector" not in str(model.objects.published().query)


def test_saving_a_row_loaded_without_its_vector_keeps_the_vector_current(roadmap):
    criterion = Criterion.objects.get(pk=roadmap["criterion"].pk)
    criterion.title = "Quartiersspeicher prüfen"
    criterion.save()
    criterion.refresh_from_db()
    assert criterion.title == "Quartiersspeicher prüfen"
    if ON_POSTGRES:
        assert "'quartiersspeich':1A" in stored_vector(criterion)


def test_editing_content_updates_what_the_search_finds(client, roadmap):
    criterion = roadmap["criterion"]
    criterion.title = "Quartiersspeicher prüfen"
    criterion.save()
    assert 'href="/kriterien/problemanalyse/"' in search(client, "Quartiersspeicher")
    assert "Keine Treffer" in search(client, "Problemanalyse")
    if ON_POSTGRES:
        assert "'quartiersspeich':1A" in stored_vector(criterion)
    else:
        assert stored_vector(criterion) is None


def test_raw_saves_from_loaddata_store_the_vector_but_dumps_leave_it_out(client, roadmap):
    term = factories.glossary_term(term="Quartiersspeicher", slug="quartiersspeicher")
    dump = serializers.serialize("json", [term])
    assert "search_vector" not in dump  # derived data stays out of dumps and revisions
    term.delete()
    (loaded,) = serializers.deserialize("json", dump)
    loaded.save()  # raw, as loaddata does
    assert (stored_vector(loaded.object) is not None) == ON_POSTGRES
    assert 'href="/glossar/#quartiersspeicher"' in search(client, "Quartiersspeicher")


def test_migrate_fills_vectors_of_rows_saved_without_signals(client, roadmap):
    GlossaryTerm.objects.bulk_create(
        [GlossaryTerm(term="Quartiersspeicher", slug="speicher", status=Status.PUBLISHED)]
    )
    Criterion.objects.update(search_vector=None)
    found_before = 'href="/glossar/#speicher"' in search(client, "Quartiersspeicher")
    # PostgreSQL searches the stored vectors only; SQLite's LIKE fallback needs none.
    assert found_before == (not ON_POSTGRES)

    fill_missing_search_vectors()

    assert 'href="/glossar/#speicher"' in search(client, "Quartiersspeicher")
    assert (stored_vector(roadmap["criterion"]) is not None) == ON_POSTGRES


def test_filling_skips_tables_that_were_migrated_back_before_the_vector_column(roadmap):
    Criterion.objects.update(search_vector=None)
    state = MigrationLoader(connection).project_state(("phases", "0003_publish_permissions"))
    fill_missing_search_vectors(apps=state.apps)  # must not touch the missing column
    assert stored_vector(roadmap["criterion"]) is None


def test_synthetic_benchmark_content_is_searchable(client, roadmap, monkeypatch):
    monkeypatch.setenv("ROADMAP_BENCHMARK", "1")
    call_command("generate_synthetic_content", "--factor", "3", stdout=io.StringIO())
    html = main_part(search(client, "Szenario", typ="kriterien"))
    assert len([url for url in hit_urls(html) if url.startswith("/kriterien/synth-")]) == 2


def test_search_vectors_have_a_gin_index_on_postgres_only():
    tables = {model._meta.db_table for model in WEIGHTS}
    with connection.cursor() as cursor:
        if ON_POSTGRES:
            cursor.execute(
                "SELECT tablename FROM pg_indexes WHERE indexdef LIKE %s",
                ["%USING gin (search_vector)"],
            )
        else:
            cursor.execute("SELECT tbl_name FROM sqlite_master WHERE sql LIKE '%search_vector)'")
        indexed = {row[0] for row in cursor.fetchall()}
    assert indexed == (tables if ON_POSTGRES else set())


def test_gin_index_migration_runs_sql_on_postgres_only_and_can_be_reversed():
    statements = []
    editor = SimpleNamespace(
        connection=connection, quote_name=connection.ops.quote_name, execute=statements.append
    )
    # The migrations carry frozen copies of the operation; test the one of the phases app.
    migration = importlib.import_module("phases.migrations.0004_search_vector")
    operation = migration.gin_index_operation("phases_criterion")
    operation.code(None, editor)
    operation.reverse_code(None, editor)
    expected = [
        'CREATE INDEX "phases_criterion_search_vector_gin" ON "phases_criterion" '
        "USING gin (search_vector)",
        'DROP INDEX IF EXISTS "phases_criterion_search_vector_gin"',
    ]
    assert statements == (expected if ON_POSTGRES else [])


def test_markdown_of_a_snippet_is_converted_once_for_repeated_searches(
    client, roadmap, monkeypatch
):
    calls = []
    monkeypatch.setattr(
        search_module, "strip_tags", lambda html: calls.append(1) or strip_tags(html)
    )
    body = "Der **Regelbetrieb** im Quartier beginnt bald."
    factories.criterion(roadmap["first"], title="Betrieb", slug="betrieb", body=body)
    search(client, "Regelbetrieb")
    first = len(calls)
    search(client, "Regelbetrieb")
    assert first > 0
    assert len(calls) == first
