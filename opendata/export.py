"""The published content as open data: one place for the JSON document, the CSVs and the API.

Public means published, and for the trees (phases, scaling drivers) also: below published
nodes only. An item whose phase is not public is left out, so that every relation in the data
points to something that is part of the data. Relations are given as slugs.

``COLLECTIONS`` names each collection once: its queryset (with everything its schema reads
prefetched, so the number of queries does not grow with the content) and its schema
(``opendata.schemas``), which decides the fields of the JSON document, the API and the CSVs.
"""

import hashlib
import io
import json
from dataclasses import dataclass
from datetime import datetime
from functools import cache

from django.db.models import CharField, Count, Max, Prefetch, Value

from core.spreadsheet import write_csv
from examples.models import PracticeExample, Resource, Source
from information.models import GlossaryTerm
from phases.models import (
    Criterion,
    CrossReference,
    Milestone,
    OperatorModel,
    Phase,
    PhaseReference,
    ScalingDriver,
    Stakeholder,
    Workstream,
)

from . import schemas

LICENCE_NAME = "CC BY 4.0"
LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/deed.de"
ATTRIBUTION = "Skalierungsroadmap, CC BY 4.0"
FORMAT_VERSION = 1


# -- what is public --------------------------------------------------------------------


class PublicContent:
    """The public rows of every collection, for one request or one export: each model's
    ``public()`` rule (phases/models.py, examples/models.py), nothing decided here."""

    def phases(self):
        return Phase.objects.public()

    def scaling_drivers(self):
        return ScalingDriver.objects.public()

    def workstreams(self):
        return Workstream.objects.public()

    def stakeholders(self):
        return Stakeholder.objects.public()

    def milestones(self):
        return Milestone.objects.public()

    def criteria(self):
        return Criterion.objects.public()

    def operator_models(self):
        return OperatorModel.objects.public()

    def examples(self):
        return PracticeExample.objects.public()

    def resources(self):
        return Resource.objects.public()

    def glossary(self):
        return GlossaryTerm.objects.public()

    def sources(self):
        return Source.objects.public()

    def cross_references(self):
        """Cross-references whose both ends are public."""
        return CrossReference.objects.public().select_related(*CrossReference.TARGET_FIELDS)

    # -- with everything the schemas read ----------------------------------------------

    def phases_for_export(self):
        references = PhaseReference.objects.filter(PhaseReference.public_q())
        return (
            self.phases()
            .select_related("parent")
            .prefetch_related(
                Prefetch("references_out", queryset=references.select_related("to_phase")),
                "sources",
            )
        )

    def scaling_drivers_for_export(self):
        return self.scaling_drivers().select_related("parent")

    def milestones_for_export(self):
        return self.milestones().select_related("phase", "phase__parent")

    def criteria_for_export(self):
        return (
            self.criteria()
            .select_related("phase")
            .prefetch_related(
                Prefetch("scaling_driver", queryset=self.scaling_drivers()),
                Prefetch("workstreams", queryset=self.workstreams()),
                Prefetch("sub_phases", queryset=self.phases().select_related("parent")),
                Prefetch("stakeholders", queryset=self.stakeholders()),
                Prefetch("operator_models", queryset=self.operator_models()),
                Prefetch("milestones", queryset=self.milestones()),
                Prefetch("references_out", queryset=self.cross_references()),
                "sources",
            )
            .order_by("phase__tree_id", "phase__lft", "title")
        )

    def operator_models_for_export(self):
        return self.operator_models().prefetch_related(
            Prefetch("suitable_phases", queryset=self.phases()), "sources"
        )

    def examples_for_export(self):
        return (
            self.examples()
            .select_related("phase_reached")
            .prefetch_related(Prefetch("criteria", queryset=self.criteria()), "sources")
        )

    def resources_for_export(self):
        return self.resources().prefetch_related(Prefetch("criteria", queryset=self.criteria()))

    def sources_for_export(self):
        return self.sources().prefetch_related(
            Prefetch("criteria", queryset=self.criteria().order_by("title")),
            Prefetch("examples", queryset=self.examples()),
            Prefetch("operator_models", queryset=self.operator_models()),
            Prefetch("phases", queryset=self.phases()),
        )


@dataclass(frozen=True)
class Collection:
    key: str  # in the JSON document; with „-“ for „_“ the path in the API
    title: str  # German, for /daten/
    model: type
    schema: type

    @property
    def path(self):
        """The API path segment, e.g. „operator-models“."""
        return self.key.replace("_", "-")

    def public(self, content):
        """The public rows, nothing loaded with them."""
        return getattr(content, self.key)()

    def queryset(self, content):
        """The public rows with everything the schema reads, in a fixed number of queries."""
        for_export = getattr(content, f"{self.key}_for_export", None)
        return for_export() if for_export else self.public(content)

    def serialize(self, items, request):
        context = {"request": request}
        return [
            self.schema.model_validate(item, context=context).model_dump(mode="json")
            for item in items
        ]


COLLECTIONS = {
    collection.key: collection
    for collection in (
        Collection("phases", "Phasen", Phase, schemas.PhaseOut),
        Collection("workstreams", "Arbeitsstränge", Workstream, schemas.WorkstreamOut),
        Collection("milestones", "Meilensteine", Milestone, schemas.MilestoneOut),
        Collection("criteria", "Kriterien", Criterion, schemas.CriterionOut),
        Collection("stakeholders", "Akteursgruppen", Stakeholder, schemas.StakeholderOut),
        Collection(
            "scaling_drivers", "Skalierungstreiber", ScalingDriver, schemas.ScalingDriverOut
        ),
        Collection("operator_models", "Betreibermodelle", OperatorModel, schemas.OperatorModelOut),
        Collection("examples", "Praxisbeispiele", PracticeExample, schemas.ExampleOut),
        Collection("resources", "Ressourcen", Resource, schemas.ResourceOut),
        Collection("glossary", "Glossar", GlossaryTerm, schemas.GlossaryTermOut),
        Collection("sources", "Quellen", Source, schemas.SourceOut),
    )
}


# -- version: ETag and Last-Modified ---------------------------------------------------


@dataclass(frozen=True)
class ContentVersion:
    last_modified: datetime | None
    etag: str


@cache
def version_query():
    """Newest change and number of public rows per collection, as one UNION query.

    Only public rows count: editing a draft must not change the validators, or they would
    reveal editorial activity. A collection without public rows has no row here.
    Built once per process and cloned per request: compiling it anew costs more than running it.
    """
    parts = [
        collection.model._default_manager.filter(collection.model.public_q())
        .order_by()
        .annotate(key=Value(key, output_field=CharField()))
        .values("key")
        .annotate(latest=Max("updated_at"), published=Count("pk"))
        .values_list("key", "latest", "published")
        for key, collection in COLLECTIONS.items()
    ]
    return parts[0].union(*parts[1:], all=True)


def content_version():
    """The state of all content, in one aggregate query.

    The numbers of public rows make a withdrawal or a deletion change the ETag (withdrawing
    does not move ``last_modified``: the withdrawn row no longer counts).
    """
    rows = sorted(version_query().all())
    stamps = [latest for _, latest, _ in rows if latest is not None]
    fingerprint = ";".join(
        f"{key}:{latest.isoformat() if latest else '-'}:{n}" for key, latest, n in rows
    )
    return ContentVersion(
        last_modified=max(stamps) if stamps else None,
        etag=f'"{hashlib.sha256(fingerprint.encode()).hexdigest()[:32]}"',
    )


# -- the complete JSON document --------------------------------------------------------


def document(request, version):
    """Every collection with licence, attribution and the time of the last change."""
    meta = {
        "title": "Skalierungsroadmap – veröffentlichte Inhalte",
        "source": request.build_absolute_uri("/"),
        "licence": {"name": LICENCE_NAME, "url": LICENCE_URL},
        "attribution": ATTRIBUTION,
        "last_modified": schemas.timestamp(version.last_modified),
        "format_version": FORMAT_VERSION,
        "relations": "Verweise nennen den Kurznamen (slug) des Ziels in der jeweiligen Sammlung.",
    }
    data = {"meta": meta}
    content = PublicContent()
    for key, collection in COLLECTIONS.items():
        data[key] = collection.serialize(collection.queryset(content), request)
    return data


def document_json(request, version):
    return json.dumps(document(request, version), ensure_ascii=False, indent=1)


# -- CSV -------------------------------------------------------------------------------


@dataclass(frozen=True)
class CsvExport:
    name: str  # file name without ".csv"
    collection: str  # key in COLLECTIONS

    @property
    def title(self):
        return COLLECTIONS[self.collection].title

    @property
    def columns(self):
        return schemas.csv_columns(COLLECTIONS[self.collection].schema)


CSV_EXPORTS = {
    export.name: export
    for export in (
        CsvExport("kriterien", "criteria"),
        CsvExport("meilensteine", "milestones"),
        CsvExport("praxisbeispiele", "examples"),
    )
}


def csv_text(export, request):
    """UTF-8 with byte order mark and semicolons, as German spreadsheet programs expect."""
    collection = COLLECTIONS[export.collection]
    columns = [name for name, _ in export.columns]
    rows = collection.serialize(collection.queryset(PublicContent()), request)
    buffer = io.StringIO()
    write_csv(buffer, [columns, *([row[name] for name in columns] for row in rows)])
    return buffer.getvalue()
