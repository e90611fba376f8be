"""The read-only JSON API under /api/v1/ (django-ninja), described at /api/v1/openapi.json.

Every collection of ``opendata.export.COLLECTIONS`` gets a paginated list and a detail by slug.
Criteria and practice examples take the filters of their list pages (same parameter names,
same logic from ``core.facets``); an unknown filter value is answered with 422, not ignored,
so that a typing error never looks like an empty or a complete result.
"""

import re
from functools import wraps
from math import ceil
from typing import Any, Literal

from django.http import Http404
from django.urls import reverse
from django.utils.datastructures import MultiValueDict
from ninja import Field, NinjaAPI, Query, Schema
from ninja.errors import ValidationError
from ninja.pagination import PaginationBase, paginate
from pydantic import create_model

from core.facets import BooleanFacet, ChoiceFacet, ModelFacet, shown
from core.filtering import FilterSet
from examples.views import ExampleListView
from phases.explorer import CRITERION_FACETS

from . import export
from .conditional import conditional

PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
MAX_PAGE = 10_000
SLUG_PATTERN = re.compile(r"[-a-zA-Z0-9_]{1,120}")

api = NinjaAPI(
    title="Skalierungsroadmap – Offene Daten",
    version="1",
    description=(
        "Lesender Zugriff auf alle veröffentlichten Inhalte der Skalierungsroadmap. "
        f"Inhalte: {export.LICENCE_NAME} ({export.LICENCE_URL}), "
        f"Namensnennung: „{export.ATTRIBUTION}“. Listen sind seitenweise abrufbar "
        f"(page, page_size bis {MAX_PAGE_SIZE}); Antworten tragen ETag und Last-Modified."
    ),
    urls_namespace="opendata:api",
    docs_url=None,  # the interactive docs would load scripts from a CDN
)
api.add_decorator(conditional, mode="view")


# -- errors ----------------------------------------------------------------------------


class NotFound(Schema):
    detail: str = Field(title="Meldung")


class Problem(Schema):
    loc: list[str | int] = Field(title="Ort", description="z. B. [„query“, „phase“]")
    msg: str = Field(title="Meldung")
    type: str = Field(title="Art des Fehlers")


class InvalidInput(Schema):
    detail: list[Problem]


PROBLEM_TEXTS = {
    "int_parsing": "muss eine ganze Zahl sein",
    "int_type": "muss eine ganze Zahl sein",
    "int_from_float": "muss eine ganze Zahl sein",
    "greater_than_equal": "muss mindestens {ge} sein",
    "less_than_equal": "darf höchstens {le} sein",
    "literal_error": "erlaubt: {expected}",
    "unknown_value": "hat den unbekannten Wert „{value}“; erlaubt sind Kurznamen aus {source}",
}


def problem(loc, kind, **context):
    """One entry of a 422 answer, with a German message naming the parameter."""
    try:
        text = PROBLEM_TEXTS.get(kind, "ist ungültig").format(**context)
    except (KeyError, IndexError):
        text = "ist ungültig"
    name = next((part for part in reversed(loc) if isinstance(part, str)), "?")
    return {"loc": list(loc), "msg": f"Der Parameter „{name}“ {text}.", "type": kind}


class UnknownFilterValue(Exception):
    def __init__(self, problems):
        self.problems = problems


FILTERS_ARGUMENT = "filters"  # the name of the filter schema argument, not a parameter


@api.exception_handler(ValidationError)
def invalid_parameters(request, exc):
    problems = []
    for error in exc.errors:
        loc = [part for part in error.get("loc") or ["query"] if part != FILTERS_ARGUMENT]
        context = {
            key: str(value).replace("' or '", "' oder '")
            for key, value in error.get("ctx", {}).items()
        }
        problems.append(problem(loc, error.get("type", ""), **context))
    return api.create_response(request, {"detail": problems}, status=422)


@api.exception_handler(UnknownFilterValue)
def unknown_filter_value(request, exc):
    return api.create_response(request, {"detail": exc.problems}, status=422)


@api.exception_handler(Http404)
def not_found(request, exc):
    return api.create_response(request, {"detail": str(exc) or "Nicht gefunden."}, status=404)


# -- pagination ------------------------------------------------------------------------


def page_url(request, number):
    query = request.GET.copy()
    query["page"] = str(number)
    return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")


class PageInput(Schema):
    page: int = Field(1, ge=1, le=MAX_PAGE, description="Seite, beginnend mit 1")
    page_size: int = Field(PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE, description="Einträge je Seite")


class PagePagination(PaginationBase):
    Input = PageInput

    class Output(Schema):
        count: int = Field(title="Anzahl", description="Treffer insgesamt, über alle Seiten")
        page: int = Field(title="Seite")
        page_size: int = Field(title="Einträge je Seite")
        pages: int = Field(title="Seiten", description="Anzahl der Seiten, mindestens 1")
        next: str | None = Field(title="nächste Seite", description="Adresse oder leer")
        previous: str | None = Field(title="vorige Seite", description="Adresse oder leer")
        items: list[Any]

    def paginate_queryset(self, queryset, pagination, request, **params):
        count = self._items_count(queryset)
        number, size = pagination.page, pagination.page_size
        pages = max(1, ceil(count / size))
        offset = (number - 1) * size
        return {
            "count": count,
            "page": number,
            "page_size": size,
            "pages": pages,
            "next": page_url(request, number + 1) if number < pages else None,
            "previous": page_url(request, min(number - 1, pages)) if number > 1 else None,
            "items": queryset[offset : offset + size],
        }


# -- filters: the facets of the list pages as query parameters --------------------------


def value_source(facet):
    """Where the allowed values of a taxonomy filter are listed in this API."""
    model = facet.queryset.model
    for collection in export.COLLECTIONS.values():
        if collection.model is model:
            return f"/api/v1/{collection.path}/"
    return "der Website"  # pragma: no cover - every facet model is a collection


def filter_schema(name, facets):
    """A query schema with one parameter per facet, typed from the facet."""
    fields = {}
    for facet in facets:
        description = " ".join(filter(None, [facet.label + ".", facet.hint]))
        if isinstance(facet, BooleanFacet):
            value_type = Literal[facet.value]
            description += f" „{facet.value}“: {facet.option_label}."
        elif isinstance(facet, ChoiceFacet):
            value_type = Literal[tuple(str(value) for value, _ in facet.choices)]
        else:
            value_type = str
            description += f" Kurzname aus {value_source(facet)}."
        if facet.multiple:
            description += " Mehrere Werte werden mit ODER verknüpft."
            fields[facet.param] = (list[value_type], Field([], description=description))
        else:
            fields[facet.param] = (value_type | None, Field(None, description=description))
    return create_model(name, __base__=Schema, **fields)


def apply_filters(collection, content, facets, filters):
    """The collection's queryset, restricted by the facets' logic to the matching items."""
    params = MultiValueDict()
    for facet in facets:
        value = getattr(filters, facet.param)
        values = value if isinstance(value, list) else [value]
        values = [str(v).strip() for v in values if v is not None and str(v).strip()]
        if values:
            params.setlist(facet.param, values)
    active = [facet for facet in facets if facet.param in params]
    if not active:
        return collection.queryset(content)
    filterset = FilterSet(params, active)
    unknown = []
    for bound in filterset.facets:
        if isinstance(bound.facet, ModelFacet):
            source = value_source(bound.facet)
            unknown += [
                problem(["query", bound.param], "unknown_value", value=shown(v), source=source)
                for v in params.getlist(bound.param)
                if v not in bound.by_value
            ]
    if unknown:
        raise UnknownFilterValue(unknown)
    return collection.queryset(content).filter(
        pk__in=filterset.matching_pks(collection.public(content))
    )


FILTERS = {
    "criteria": CRITERION_FACETS,
    "examples": ExampleListView.facets,
}


# -- the endpoints ---------------------------------------------------------------------


class CollectionLink(Schema):
    key: str = Field(title="Sammlung")
    title: str = Field(title="Bezeichnung")
    url: str = Field(title="Adresse der Liste")


class IndexOut(Schema):
    title: str
    licence: str
    licence_url: str
    attribution: str
    openapi: str = Field(title="Beschreibung der Schnittstelle (OpenAPI)")
    collections: list[CollectionLink]


@api.get("/", response=IndexOut, operation_id="index", summary="Übersicht", tags=["Übersicht"])
def index(request):
    return {
        "title": api.title,
        "licence": export.LICENCE_NAME,
        "licence_url": export.LICENCE_URL,
        "attribution": export.ATTRIBUTION,
        "openapi": request.build_absolute_uri(reverse("opendata:api:openapi-json")),
        "collections": [
            {
                "key": key,
                "title": collection.title,
                "url": request.build_absolute_uri(f"{request.path}{collection.path}/"),
            }
            for key, collection in export.COLLECTIONS.items()
        ],
    }


def add_list(collection):
    facets = FILTERS.get(collection.key, ())
    options = {
        "response": {200: list[collection.schema], 422: InvalidInput},
        "operation_id": f"list_{collection.key}",
        "summary": f"{collection.title}: Liste",
        "tags": [collection.title],
    }
    if facets:
        filters_type = filter_schema(f"{collection.schema.__name__}Filters", facets)

        @api.get(f"/{collection.path}/", **options)
        @paginate(PagePagination)
        def filtered_list(request, filters: Query[filters_type]):
            return apply_filters(collection, export.PublicContent(), facets, filters)

    else:

        @api.get(f"/{collection.path}/", **options)
        @paginate(PagePagination)
        def plain_list(request):
            return collection.queryset(export.PublicContent())


def add_detail(collection):
    @api.get(
        f"/{collection.path}/{{slug}}/",
        response={200: collection.schema, 404: NotFound},
        operation_id=f"get_{collection.key}",
        summary=f"{collection.title}: ein Eintrag",
        tags=[collection.title],
    )
    def detail(request, slug: str):
        item = None
        if SLUG_PATTERN.fullmatch(slug):
            item = collection.queryset(export.PublicContent()).filter(slug=slug).first()
        if item is None:
            raise Http404(
                f"{collection.title}: Es gibt keinen veröffentlichten Eintrag "
                f"mit dem Kurznamen „{shown(slug)}“."
            )
        return item


for _collection in export.COLLECTIONS.values():
    add_list(_collection)
    add_detail(_collection)


def answer_head_like_get(view):
    """HEAD gets the headers of GET (ETag, Last-Modified, length); the server drops the body.
    The OpenAPI document keeps describing GET only."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.method != "HEAD":
            return view(request, *args, **kwargs)
        request.method = "GET"
        try:
            return view(request, *args, **kwargs)
        finally:
            request.method = "HEAD"

    return wrapped


def urls():
    """The API's URL patterns for ``include()``."""
    patterns, app_name, namespace = api.urls
    for pattern in patterns:
        pattern.callback = answer_head_like_get(pattern.callback)
    return patterns, app_name, namespace


@api.get("/{path:rest}/", include_in_schema=False)
def unknown_address(request, rest: str):
    """Last route: any other address below /api/v1/ gets a JSON 404, too (e.g. a slug with
    a slash in it). Addresses without the final slash are redirected by Django first."""
    raise Http404("Unter dieser Adresse gibt es nichts. Die Übersicht steht unter /api/v1/.")
