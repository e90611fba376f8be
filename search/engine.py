"""Site search over all published content (/suche/).

The overview shows the best ``OVERVIEW_HITS_PER_TYPE`` hits of every content type, each type
with a link to its drill-down (``?typ=<key>``), which pages through all its hits,
``HITS_PER_PAGE`` at a time (``?seite=<n>``). Every shown list is one database query that
carries the total number of hits in a window function, so a page costs the same number of
queries however much content there is.

PostgreSQL: full-text search with the German configuration (stemming, stop words,
``websearch`` syntax) on weighted vectors (A title, B summary, C body) that are stored in
each row's ``search_vector`` column (search/index.py), ranked with ``SearchRank``.
SQLite: a fallback that strips common German endings from every query word, requires
every word somewhere in the fields (case-insensitive) and ranks title hits before
summary hits before body hits.

Snippets are built in Python from plain text (Markdown rendered and stripped first, cached),
escaped piece by piece, and only then are the matched words wrapped in ``<mark>``.
"""

from dataclasses import dataclass, field
from functools import cached_property, lru_cache, reduce
from operator import or_

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import Case, Count, F, IntegerField, Value, When, Window
from django.urls import get_script_prefix, reverse
from django.utils.http import urlencode

from core.compiled_sql import CompiledValuesQuery, instance_from_row
from core.pagination import PAGE_PARAM, PageLinks, page_for, page_links, page_number

from .query import (
    HITS_PER_PAGE,
    OVERVIEW_HITS_PER_TYPE,
    SEARCH_CONFIG,
    TYPE_PARAM,
    WEIGHT_POINTS,
    contains,
    parse_query,
)
from .snippets import Highlighter, plain_text
from .types import CONTENT_TYPES, TYPES_BY_KEY


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
    return reduce(or_, (contains(name, term) for name in content_type.all_fields))


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
                    reduce(or_, (contains(name, term) for name in names)),
                    then=Value(WEIGHT_POINTS[weight]),
                )
                for weight, names in content_type.weights.items()
            ],
            default=Value(0),
            output_field=IntegerField(),
        )
    return queryset.annotate(rank=rank)


def ranked(content_type, query, parsed):
    """All hits of one type, best first, as ``values()`` rows of the columns a hit shows;
    every row carries the number of hits (``total_hits``)."""
    if uses_full_text_search():
        queryset = _postgres_queryset(content_type, query)
    else:
        queryset = _fallback_queryset(content_type, parsed)
    return (
        queryset.annotate(total_hits=Window(Count("pk")))
        .order_by(F("rank").desc(), content_type.title_field, "pk")
        .values(*content_type.columns, "total_hits")
    )


# PostgreSQL: the query's shape is fixed, only the words change (one parameter), so each type's
# SQL is compiled once per process. The fallback's shape depends on the number of words.
_COMPILED = {
    content_type.key: CompiledValuesQuery(
        lambda query, content_type=content_type: ranked(content_type, query, None)
    )
    for content_type in CONTENT_TYPES
}


def ranked_rows(content_type, query, parsed, start, stop):
    """Rows ``start`` to ``stop`` (exclusive) of ``ranked``."""
    if uses_full_text_search():
        return _COMPILED[content_type.key].rows(query, limit=stop - start, offset=start)
    return list(ranked(content_type, query, parsed)[start:stop])


class WindowCountedRows:
    """Ranked rows as Django's Paginator pages through them, with one query per page.

    The paginator counts before it slices. Counting here fetches the page most likely asked
    for, whose rows carry the total (window function), so the slice that follows is free.
    Only a page number out of range costs more: a count and the page actually shown.
    """

    def __init__(self, fetch, per_page, likely_page):
        self.fetch = fetch  # (start, stop) -> rows
        self.start = (likely_page - 1) * per_page
        self.stop = self.start + per_page

    @cached_property
    def rows(self):
        return self.fetch(self.start, self.stop)

    def count(self):
        rows = self.rows or (self.fetch(0, 1) if self.start else [])
        return rows[0]["total_hits"] if rows else 0

    def __getitem__(self, index):  # the paginator asks for slices only
        if self.start <= index.start and index.stop <= self.stop:
            return self.rows[index.start - self.start : index.stop - self.start]
        return self.fetch(index.start, index.stop)


def search_url(query, content_type=None, page=1):
    """The overview for ``query``, or a page of the drill-down into one type."""
    params = {"q": query}
    if content_type is not None:
        params[TYPE_PARAM] = content_type.key
    if page > 1:
        params[PAGE_PARAM] = page
    return f"{reverse('search')}?{urlencode(params)}"


@dataclass(frozen=True)
class HitFrame:
    """What a hit shows whatever was searched for: its address, title, texts and meta line."""

    url: str
    title: str  # plain text
    texts: tuple  # the snippet fields as plain text, in the order a snippet is looked for
    meta: str  # plain text


@lru_cache(maxsize=4096)
def hit_frame(type_key, columns, script_prefix):
    """The frame of one row (``columns``: its ``(name, value)`` pairs). Rows come up search
    after search, and turning them into instances, addresses and plain text was half of a
    hit's cost. The key holds everything the frame depends on – every column it reads
    (an edit changes them) and the script prefix of the address – so an entry never goes
    stale; it only ages out."""
    content_type = TYPES_BY_KEY[type_key]
    obj = instance_from_row(content_type.model, dict(columns))
    return HitFrame(
        url=obj.get_absolute_url(),
        title=getattr(obj, content_type.title_field),
        texts=tuple(
            plain_text(getattr(obj, f"{name}_html" if is_markdown else name), is_markdown)
            for name, is_markdown in content_type.snippet_fields
        ),
        meta=content_type.meta(obj),
    )


@dataclass
class Hit:
    label: str
    url: str
    title: str  # safe HTML
    snippet: str  # safe HTML
    meta: str  # plain text, escaped by the template

    @classmethod
    def build(cls, content_type, row, highlighter):
        columns = tuple((name, value) for name, value in row.items() if name != "total_hits")
        frame = hit_frame(content_type.key, columns, get_script_prefix())
        return cls(
            label=content_type.label,
            url=frame.url,
            title=highlighter.highlight(frame.title),
            snippet=highlighter.snippet(frame.texts),
            meta=frame.meta,
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
        rows = ranked_rows(content_type, results.query, parsed, 0, OVERVIEW_HITS_PER_TYPE)
        if not rows:
            continue
        total = rows[0]["total_hits"]
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
        lambda start, stop: ranked_rows(content_type, results.query, parsed, start, stop),
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
