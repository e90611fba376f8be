"""Site search over all published content (/suche/).

The overview shows the best ``OVERVIEW_HITS_PER_TYPE`` hits of every content type, each type
with a link to its drill-down (``?typ=<key>``), which pages through all its hits,
``HITS_PER_PAGE`` at a time (``?seite=<n>``). Every shown list is one database query that
carries the total number of hits in a window function, so a page costs the same number of
queries however much content there is.

PostgreSQL: full-text search with the German configuration (stemming, stop words,
``websearch`` syntax) on weighted vectors (A title, B summary, C body) that are stored in
each row's ``search_vector`` column (roadmap/search_index.py), ranked with ``SearchRank``.
SQLite: a fallback that strips common German endings from every query word, requires
every word somewhere in the fields (case-insensitive) and ranks title hits before
summary hits before body hits.

Snippets are built in Python from plain text (Markdown rendered and stripped first, cached),
escaped piece by piece, and only then are the matched words wrapped in ``<mark>``.
"""

import html
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property, lru_cache, reduce
from operator import or_

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import Case, Count, F, IntegerField, Q, Value, When, Window
from django.urls import reverse
from django.utils.html import escape, strip_tags
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.views.generic import TemplateView

from examples.models import PracticeExample, Resource
from phases.models import Criterion, Milestone, OperatorModel, Phase
from roadmap.markdown import render_markdown
from roadmap.models import GlossaryTerm
from roadmap.pagination import PAGE_PARAM, PageLinks, page_for, page_links, page_number
from roadmap.publishing import Status

MAX_QUERY_LENGTH = 200
MAX_TERMS = 8
OVERVIEW_HITS_PER_TYPE = 5
HITS_PER_PAGE = 20
TYPE_PARAM = "typ"
SEARCH_CONFIG = "german"
SNIPPET_LENGTH = 220
SNIPPET_LEAD = 70

# Points per query word for the field it matched in (SQLite fallback ranking).
WEIGHT_POINTS = {"A": 4, "B": 2, "C": 1}

# Endings stripped by the SQLite fallback, longest first; the stem keeps at least
# MIN_STEM_LENGTH characters so short words are not cut down to nothing.
GERMAN_ENDINGS = ("ern", "en", "er", "es", "e", "n", "s")
MIN_STEM_LENGTH = 4

# Words too common to search for in the fallback (PostgreSQL drops them itself).
# fmt: off
STOP_WORDS = frozenset([
    "aber", "als", "am", "an", "auch", "auf", "aus", "bei", "bis", "das", "dass", "dem",
    "den", "der", "des", "die", "dies", "diese", "durch", "ein", "eine", "einem", "einen",
    "einer", "eines", "es", "für", "hat", "im", "in", "ist", "mit", "nach", "nicht", "noch",
    "oder", "sich", "sie", "so", "über", "um", "und", "uns", "vom", "von", "vor", "wie",
    "wir", "zu", "zum", "zur",
])
# fmt: on


# --------------------------------------------------------------------------- query


def normalise_query(raw):
    """The query without control characters (NUL breaks PostgreSQL) and with single spaces."""
    text = "".join(
        " " if unicodedata.category(char).startswith("C") else char for char in str(raw or "")
    )
    return " ".join(text.split())


def clean_query(raw):
    """The query as it is searched and shown: normalised and cut to MAX_QUERY_LENGTH
    characters (longer input is shortened, never an error)."""
    return normalise_query(raw)[:MAX_QUERY_LENGTH].strip()


def stem(word):
    """A crude German stem: lower case, one common ending stripped.

    „Kommunen“ → „kommun“ (finds „Kommune“), „Betreibermodelle“ → „betreibermodell“.
    """
    word = word.lower()
    for ending in GERMAN_ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= MIN_STEM_LENGTH:
            return word[: -len(ending)]
    return word


# A word, optionally negated by a leading "-" (not the hyphen inside "IT-Dienstleister").
TOKEN_RE = re.compile(r"(?:(?<![\w-])(?P<minus>-))?(?P<word>\w+)")


@dataclass
class ParsedQuery:
    """The query's words as stems, in the spirit of PostgreSQL's ``websearch`` syntax:
    every group must match (AND), one stem of a group is enough („a or b“), and
    excluded stems („-wort“) must not occur."""

    groups: list = field(default_factory=list)
    excluded: list = field(default_factory=list)

    @property
    def terms(self):
        """Stems to search for and to highlight."""
        return [term for group in self.groups for term in group]


def parse_query(query):
    parsed, join_next, count = ParsedQuery(), False, 0
    for match in TOKEN_RE.finditer(query):
        word = match["word"].lower()
        if word == "or":
            join_next = bool(parsed.groups)
            continue
        if len(word) < 2 or word in STOP_WORDS or count >= MAX_TERMS:
            join_next = False
            continue
        term = stem(word)
        count += 1
        if match["minus"]:
            parsed.excluded.append(term)
        elif join_next:
            parsed.groups[-1].append(term)
        else:
            parsed.groups.append([term])
        join_next = False
    return parsed


def _case_variants(term):
    """SQLite's LIKE folds ASCII letters only: add spellings for umlauts and ß."""
    if term.isascii():
        return [term]
    return list(dict.fromkeys([term, term.capitalize(), term.upper()]))


def _contains(field_name, term):
    return reduce(
        or_, (Q(**{f"{field_name}__icontains": variant}) for variant in _case_variants(term))
    )


# --------------------------------------------------------------------------- types


@dataclass(frozen=True)
class SearchableType:
    """How one kind of content is searched and shown."""

    key: str  # in the drill-down address: ?typ=<key>
    label: str
    label_plural: str
    model: type
    published: Callable  # the model's rows -> the published ones, with what a hit shows
    weights: dict  # {"A": (field, …), "B": …, "C": …}; also for the stored vectors
    title_field: str
    snippet_fields: tuple  # (field, is_markdown), in the order a snippet is looked for
    meta: Callable = field(default=lambda obj: "")

    @property
    def all_fields(self):
        return [name for names in self.weights.values() for name in names]

    def base(self):
        return self.published(self.model.objects.all())


def _published_phase_q(prefix):
    """A phase (at ``prefix``) that is published and, if a sub-phase, has a published parent."""
    return Q(**{f"{prefix}status": Status.PUBLISHED}) & (
        Q(**{f"{prefix}parent__isnull": True}) | Q(**{f"{prefix}parent__status": Status.PUBLISHED})
    )


def _phase_meta(phase):
    if phase.parent_id:
        return f"Teilphase von {phase.parent}"
    return f"Phase {phase.number}" if phase.number else "phasenübergreifend"


def _example_meta(example):
    return f"{example.municipality} · {example.get_size_class_display()}"


def _resource_meta(resource):
    parts = [resource.publisher, str(resource.year or ""), resource.get_kind_display()]
    return " · ".join(part for part in parts if part)


CONTENT_TYPES = (
    SearchableType(
        key="kriterien",
        label="Kriterium",
        label_plural="Kriterien",
        model=Criterion,
        published=lambda rows: rows.published().select_related_for_links("phase"),
        weights={"A": ("title",), "B": ("summary",), "C": ("body",)},
        title_field="title",
        snippet_fields=(("summary", False), ("body", True)),
        meta=lambda criterion: f"ab {criterion.phase}",
    ),
    SearchableType(
        key="praxisbeispiele",
        label="Praxisbeispiel",
        label_plural="Praxisbeispiele",
        model=PracticeExample,
        published=lambda rows: rows.published(),
        weights={
            "A": ("title",),
            "B": ("municipality", "summary"),
            "C": ("body", "lessons_learned"),
        },
        title_field="title",
        snippet_fields=(("summary", False), ("body", True), ("lessons_learned", True)),
        meta=_example_meta,
    ),
    SearchableType(
        key="betreibermodelle",
        label="Betreibermodell",
        label_plural="Betreibermodelle",
        model=OperatorModel,
        published=lambda rows: rows.published(),
        weights={"A": ("name", "abbreviation"), "B": ("summary",), "C": ("description",)},
        title_field="name",
        snippet_fields=(("summary", False), ("description", True)),
        meta=lambda model: model.get_family_display(),
    ),
    SearchableType(
        key="phasen",
        label="Phase",
        label_plural="Phasen",
        model=Phase,
        published=lambda rows: rows.filter(_published_phase_q("")).select_related_for_links(
            "parent"
        ),
        weights={"A": ("name",), "B": ("teaser",), "C": ("description",)},
        title_field="name",
        snippet_fields=(("teaser", False), ("description", True)),
        meta=_phase_meta,
    ),
    SearchableType(
        key="meilensteine",
        label="Meilenstein",
        label_plural="Meilensteine",
        model=Milestone,
        published=lambda rows: (
            rows.published().filter(_published_phase_q("phase__")).select_related_for_links("phase")
        ),
        weights={"A": ("title",), "B": ("question",), "C": ("description",)},
        title_field="title",
        snippet_fields=(("description", True), ("question", False)),
        meta=lambda milestone: f"{milestone.phase} · {milestone.get_kind_display()}",
    ),
    SearchableType(
        key="glossar",
        label="Glossarbegriff",
        label_plural="Glossarbegriffe",
        model=GlossaryTerm,
        published=lambda rows: rows.published(),
        weights={"A": ("term", "abbreviation"), "B": ("definition",)},
        title_field="term",
        snippet_fields=(("definition", True),),
    ),
    SearchableType(
        key="ressourcen",
        label="Ressource",
        label_plural="Ressourcen",
        model=Resource,
        published=lambda rows: rows.published(),
        weights={"A": ("title",), "B": ("publisher",), "C": ("description",)},
        title_field="title",
        snippet_fields=(("description", True),),
        meta=_resource_meta,
    ),
)
TYPES_BY_KEY = {content_type.key: content_type for content_type in CONTENT_TYPES}


# --------------------------------------------------------------------------- querying


def uses_full_text_search():
    return connection.vendor == "postgresql"


def _postgres_queryset(content_type, query):
    # The stored, GIN-indexed vector: nothing is computed per row at query time.
    vector = F("search_vector")
    search_query = SearchQuery(query, config=SEARCH_CONFIG, search_type="websearch")
    return (
        content_type.base()
        .filter(search_vector=search_query)
        .annotate(rank=SearchRank(vector, search_query))
    )


def _anywhere(content_type, term):
    return reduce(or_, (_contains(name, term) for name in content_type.all_fields))


def _fallback_queryset(content_type, parsed):
    queryset = content_type.base()
    for group in parsed.groups:
        queryset = queryset.filter(reduce(or_, (_anywhere(content_type, t) for t in group)))
    for term in parsed.excluded:
        queryset = queryset.exclude(_anywhere(content_type, term))
    rank = Value(0, output_field=IntegerField())
    for term in parsed.terms:
        rank = rank + Case(
            *[
                When(
                    reduce(or_, (_contains(name, term) for name in names)),
                    then=Value(WEIGHT_POINTS[weight]),
                )
                for weight, names in content_type.weights.items()
            ],
            default=Value(0),
            output_field=IntegerField(),
        )
    return queryset.annotate(rank=rank)


def ranked(content_type, query, parsed):
    """All hits of one type, best first; every row carries the number of hits (``total_hits``)."""
    if uses_full_text_search():
        queryset = _postgres_queryset(content_type, query)
    else:
        queryset = _fallback_queryset(content_type, parsed)
    return queryset.annotate(total_hits=Window(Count("pk"))).order_by(
        F("rank").desc(), content_type.title_field, "pk"
    )


class WindowCountedRows:
    """Ranked rows as Django's Paginator pages through them, with one query per page.

    The paginator counts before it slices. Counting here fetches the page most likely asked
    for, whose rows carry the total (window function), so the slice that follows is free.
    Only a page number out of range costs more: a count and the page actually shown.
    """

    def __init__(self, queryset, per_page, likely_page):
        self.queryset = queryset
        self.start = (likely_page - 1) * per_page
        self.stop = self.start + per_page

    @cached_property
    def rows(self):
        return list(self.queryset[self.start : self.stop])

    def count(self):
        if self.rows:
            return self.rows[0].total_hits
        return self.queryset.count() if self.start else 0

    def __getitem__(self, index):  # the paginator asks for slices only
        if self.start <= index.start and index.stop <= self.stop:
            return self.rows[index.start - self.start : index.stop - self.start]
        return list(self.queryset[index])


def search_url(query, content_type=None, page=1):
    """The overview for ``query``, or a page of the drill-down into one type."""
    params = {"q": query}
    if content_type is not None:
        params[TYPE_PARAM] = content_type.key
    if page > 1:
        params[PAGE_PARAM] = page
    return f"{reverse('search')}?{urlencode(params)}"


@dataclass
class Hit:
    label: str
    url: str
    title: str  # safe HTML
    snippet: str  # safe HTML
    meta: str  # plain text, escaped by the template

    @classmethod
    def build(cls, content_type, obj, highlighter):
        return cls(
            label=content_type.label,
            url=obj.get_absolute_url(),
            title=highlighter.highlight(getattr(obj, content_type.title_field)),
            snippet=highlighter.snippet(
                [
                    plain_text(getattr(obj, name), is_markdown)
                    for name, is_markdown in content_type.snippet_fields
                ]
            ),
            meta=content_type.meta(obj),
        )


@dataclass
class ResultGroup:
    key: str
    label: str
    hits: list
    total: int
    more_url: str = ""  # overview: the drill-down, if not every hit is shown
    first_number: int = 1  # the position of the first hit among all hits of the type


@dataclass
class DrillDown:
    """One type's hits, page by page."""

    label: str
    page: Page
    links: PageLinks
    overview_url: str


@dataclass
class SearchResults:
    query: str
    terms: list
    groups: list = field(default_factory=list)
    notes: list = field(default_factory=list)  # why a parameter was ignored
    drill_down: DrillDown | None = None

    @property
    def total(self):
        return sum(group.total for group in self.groups)


def search(query, type_key="", page=""):
    """Search for ``query`` (already cleaned): the best hits of every type (overview), or one
    page of one type's hits if ``type_key`` names a type (drill-down). Empty groups are left
    out; unknown types and page numbers are ignored with a note."""
    parsed = parse_query(query)
    results = SearchResults(query=query, terms=parsed.terms)
    content_type = TYPES_BY_KEY.get(type_key)
    if type_key and content_type is None:
        results.notes.append("Diese Trefferart gibt es nicht; gezeigt werden Treffer aller Arten.")
    if not parsed.groups:
        # Nothing to look for (only stop words, signs or exclusions): no query at all.
        return results
    highlighter = Highlighter(parsed.terms)
    if content_type is None:
        _add_overview(results, parsed, highlighter)
    else:
        _add_drill_down(results, parsed, highlighter, content_type, page)
    return results


def _add_overview(results, parsed, highlighter):
    for content_type in CONTENT_TYPES:
        rows = list(ranked(content_type, results.query, parsed)[:OVERVIEW_HITS_PER_TYPE])
        if not rows:
            continue
        total = rows[0].total_hits
        results.groups.append(
            ResultGroup(
                key=content_type.key,
                label=content_type.label_plural,
                hits=[Hit.build(content_type, obj, highlighter) for obj in rows],
                total=total,
                more_url=search_url(results.query, content_type) if total > len(rows) else "",
            )
        )


def _add_drill_down(results, parsed, highlighter, content_type, raw_page):
    rows = WindowCountedRows(
        ranked(content_type, results.query, parsed),
        HITS_PER_PAGE,
        likely_page=page_number(raw_page) or 1,
    )
    paginator = Paginator(rows, HITS_PER_PAGE)
    page, moved = page_for(paginator, raw_page)
    if moved:
        results.notes.append(f"Diese Seite gibt es nicht; gezeigt wird Seite {page.number}.")
    page.object_list = [Hit.build(content_type, obj, highlighter) for obj in page.object_list]
    if paginator.count:
        results.groups.append(
            ResultGroup(
                key=content_type.key,
                label=content_type.label_plural,
                hits=page.object_list,
                total=paginator.count,
                first_number=page.start_index(),
            )
        )
    results.drill_down = DrillDown(
        label=content_type.label_plural,
        page=page,
        links=page_links(page, lambda number: search_url(results.query, content_type, number)),
        overview_url=search_url(results.query),
    )


# --------------------------------------------------------------------------- snippets


def plain_text(value, is_markdown=False):
    """Editor text as plain text on one line: Markdown rendered (and sanitized), tags gone."""
    if is_markdown and value:
        return _markdown_as_plain_text(value)
    return " ".join((value or "").split())


@lru_cache(maxsize=2048)
def _markdown_as_plain_text(source):
    # Cached like render_markdown: the same texts come up search after search, and
    # strip_tags (HTMLParser) costs more than everything else a hit needs.
    return " ".join(html.unescape(strip_tags(render_markdown(source))).split())


class Highlighter:
    """Wraps words that contain a query stem in <mark>, escaping everything else."""

    def __init__(self, terms):
        alternatives = "|".join(re.escape(term) for term in sorted(terms, key=len, reverse=True))
        self.pattern = re.compile(rf"\w*(?:{alternatives})\w*", re.IGNORECASE) if terms else None

    def highlight(self, text):
        text = text or ""
        if self.pattern is None:
            return escape(text)
        pieces, position = [], 0
        for match in self.pattern.finditer(text):
            pieces.append(escape(text[position : match.start()]))
            pieces.append(f"<mark>{escape(match.group())}</mark>")
            position = match.end()
        pieces.append(escape(text[position:]))
        return mark_safe("".join(pieces))  # every piece of editor text passed escape()

    def snippet(self, texts, length=SNIPPET_LENGTH):
        """A short excerpt around the first match in ``texts`` (else the first text's start)."""
        texts = [text for text in texts if text]
        if not texts:
            return mark_safe("")
        chosen, start = texts[0], 0
        if self.pattern is not None:
            for text in texts:
                match = self.pattern.search(text)
                if match:
                    chosen, start = text, max(0, match.start() - SNIPPET_LEAD)
                    break
        if start > 0:
            space = chosen.find(" ", start)
            start = space + 1 if 0 <= space < start + 20 else start
        end = start + length
        if end < len(chosen):
            space = chosen.rfind(" ", start, end)
            end = space if space > start else end
        excerpt = chosen[start:end].strip()
        prefix = "… " if start > 0 else ""
        suffix = " …" if end < len(chosen) else ""
        return mark_safe(prefix + self.highlight(excerpt) + suffix)


# --------------------------------------------------------------------------- view


class SearchView(TemplateView):
    template_name = "roadmap/search.html"

    def get_context_data(self, **kwargs):
        params = self.request.GET
        raw = params.get("q", "")
        query = clean_query(raw)
        results = None
        if query:
            type_key = params.get(TYPE_PARAM, "").strip()
            results = search(query, type_key, params.get(PAGE_PARAM, "").strip())
        return super().get_context_data(
            query=query,
            query_was_cut=len(normalise_query(raw)) > MAX_QUERY_LENGTH,
            results=results,
            max_query_length=MAX_QUERY_LENGTH,
            **kwargs,
        )
