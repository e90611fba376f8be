"""The shape of the open data: one schema per collection, for the API, the JSON document and
the CSV columns. Relations are slugs; Markdown fields are the editors' Markdown source.

Field titles and descriptions are German: they end up in the OpenAPI document and on /daten/.
"""

from datetime import date, datetime
from typing import Literal

from ninja import Field, Schema
from pydantic import field_serializer

from examples.models import FederalState, PracticeExample, Resource
from phases.models import CrossReference, Milestone, OperatorModel, Workstream

SLUG = "Kurzname (slug), stabil und eindeutig in dieser Sammlung"
MARKDOWN = "Markdown-Quelltext"
SLUGS = "Kurznamen"
SOURCE_SLUGS = "Kurznamen aus der Sammlung sources"


def choice(choices):
    """A Literal type of the stored values of a Django choices class."""
    return Literal[tuple(choices.values)]


def timestamp(value):
    """ISO 8601 to the second, the precision of HTTP's Last-Modified."""
    return value.isoformat(timespec="seconds") if value is not None else None


def slug_of(relation):
    """A resolver: the slug of a foreign key, or None."""
    return staticmethod(lambda obj: getattr(getattr(obj, relation), "slug", None))


def slugs_of(relation):
    """A resolver: the slugs of a (prefetched) many-to-many relation."""
    return staticmethod(lambda obj: [item.slug for item in getattr(obj, relation).all()])


def items_of(relation):
    """A resolver: the (prefetched) related objects, for a nested schema."""
    return staticmethod(lambda obj: list(getattr(obj, relation).all()))


def label_of(field):
    """A resolver: the German label of a choice field."""
    return staticmethod(lambda obj: getattr(obj, f"get_{field}_display")())


class ContentOut(Schema):
    """Fields every published content item has."""

    slug: str = Field(title="Kurzname", description=SLUG)
    url: str = Field(title="Adresse", description="Adresse der öffentlichen Seite")
    updated_at: datetime = Field(title="zuletzt geändert", description="Zeitpunkt (ISO 8601)")
    last_reviewed_at: date | None = Field(
        title="zuletzt inhaltlich geprüft", description="Datum (ISO 8601); leer, wenn nie geprüft"
    )
    next_review_due: date | None = Field(
        title="nächste inhaltliche Prüfung", description="Datum (ISO 8601); leer, wenn offen"
    )

    @staticmethod
    def resolve_url(obj, context):
        return context["request"].build_absolute_uri(obj.get_absolute_url())

    @field_serializer("updated_at")
    def serialize_updated_at(self, value):
        return timestamp(value)


class PhaseReferenceOut(Schema):
    phase: str = Field(title="Phase", description="Kurzname der Phase, auf die verwiesen wird")
    note: str = Field(title="Begründung")

    resolve_phase = slug_of("to_phase")


class PhaseOut(ContentOut):
    number: str = Field(title="Nummer", description="z. B. „P3“; leer bei Teilphasen")
    name: str = Field(title="Name")
    parent: str | None = Field(
        title="übergeordnete Phase", description="Kurzname; leer bei einer Hauptphase"
    )
    level: int = Field(title="Ebene", description="0 für Hauptphasen, 1 für Teilphasen")
    order: int = Field(title="Reihenfolge")
    is_cross_phase: bool = Field(
        title="phasenübergreifend", description="wahr für die Gruppe „Durchgehend“"
    )
    teaser: str = Field(title="Kurztext")
    description: str = Field(title="Beschreibung", description=MARKDOWN)
    references: list[PhaseReferenceOut] = Field(
        title="Bezüge", description="Phasen, auf die diese Phase aufbaut"
    )
    sources: list[str] = Field(title="Quellen", description=SOURCE_SLUGS)

    resolve_parent = slug_of("parent")
    resolve_sources = slugs_of("sources")

    resolve_references = items_of("references_out")


class WorkstreamOut(ContentOut):
    name: str = Field(title="Name")
    label: str = Field(title="Kurzlabel")
    colour: choice(Workstream.Colour) = Field(title="Farbe")
    order: int = Field(title="Reihenfolge")
    description: str = Field(title="Beschreibung", description=MARKDOWN)


class StakeholderOut(ContentOut):
    name: str = Field(title="Name")
    order: int = Field(title="Reihenfolge")
    description: str = Field(title="Beschreibung")


class ScalingDriverOut(ContentOut):
    name: str = Field(title="Name")
    parent: str | None = Field(
        title="übergeordneter Eintrag", description="Kurzname; leer bei einem Skalierungstreiber"
    )
    level: int = Field(
        title="Ebene",
        description="0 Skalierungstreiber, 1 Subtreiber, 2 Mechanismuskategorie, 3 Mechanismus",
    )
    level_name: str = Field(title="Ebene (Bezeichnung)")
    order: int = Field(title="Reihenfolge")
    description: str = Field(title="Beschreibung")

    resolve_parent = slug_of("parent")


class LeadTimeOut(ContentOut):
    """What the Fahrplan's funding-end planner counts back with (milestones and criteria)."""

    lead_time_months: int | None = Field(
        title="Vorlauf vor Förderende in Monaten",
        description="spätestens so viele Monate vor dem Ende der Förderung beginnen; leer, "
        "wenn der Schritt nicht an das Förderende gebunden ist",
    )
    lead_time_reason: str = Field(title="Grund für den Vorlauf")
    needs_council_decision: bool = Field(title="braucht einen Beschluss des Rats")


class MilestoneOut(LeadTimeOut):
    title: str = Field(title="Titel")
    phase: str = Field(title="Phase", description="Kurzname der Phase")
    order: int = Field(title="Reihenfolge")
    kind: choice(Milestone.Kind) = Field(
        title="Art",
        description="municipal: kommunal; additional: zusätzlich, empfohlen; "
        "decision: Entscheidungspunkt am Ende einer Phase",
    )
    kind_label: str = Field(title="Art (Bezeichnung)")
    description: str = Field(title="Beschreibung", description=MARKDOWN)
    question: str = Field(title="Frage für den Selbstcheck")

    resolve_phase = slug_of("phase")
    resolve_kind_label = label_of("kind")


class CrossReferenceOut(Schema):
    kind: choice(CrossReference.Kind) = Field(title="Art des Bezugs")
    kind_label: str = Field(title="Art des Bezugs (Bezeichnung)")
    target_type: Literal[
        "criteria", "milestones", "phases", "examples", "operator_models", "resources"
    ] = Field(title="Sammlung des Ziels")
    target: str = Field(title="Ziel", description="Kurzname des Ziels in seiner Sammlung")
    note: str = Field(title="Begründung")

    resolve_kind_label = label_of("kind")

    @staticmethod
    def resolve_target_type(obj):
        return REFERENCE_COLLECTIONS[next(f for f in obj.TARGET_FIELDS if getattr(obj, f + "_id"))]

    resolve_target = slug_of("target")


REFERENCE_COLLECTIONS = {
    "target_criterion": "criteria",
    "target_milestone": "milestones",
    "target_phase": "phases",
    "target_example": "examples",
    "target_operator_model": "operator_models",
    "target_resource": "resources",
}


class CriterionOut(LeadTimeOut):
    title: str = Field(title="Titel")
    summary: str = Field(title="Kurzbeschreibung")
    body: str = Field(title="Text", description=MARKDOWN)
    phase: str = Field(title="ab Phase", description="Kurzname der Phase, ab der es gilt")
    sub_phases: list[str] = Field(title="Teilphasen", description=SLUGS)
    workstreams: list[str] = Field(title="Arbeitsstränge", description=SLUGS)
    scaling_driver: str | None = Field(
        title="Skalierungstreiber", description="Kurzname der genauesten Einordnung"
    )
    stakeholders: list[str] = Field(title="Schlüsselakteure", description=SLUGS)
    transfer_relevant: bool = Field(title="besonders wichtig für den Transfer")
    operator_models: list[str] = Field(title="passende Betreibermodelle", description=SLUGS)
    milestones: list[str] = Field(title="unterstützt Meilensteine", description=SLUGS)
    source: str = Field(title="Quelle")
    source_url: str = Field(title="Link zur Quelle")
    sources: list[str] = Field(title="Quellen", description=SOURCE_SLUGS)
    editorial_assessment: bool = Field(
        title="Einschätzung der Redaktion",
        description="wahr, wenn der Text auf der Erfahrung der Redaktion beruht",
    )
    legal_status_on: date | None = Field(
        title="Rechtsstand", description="Stand der zitierten Rechtslage (ISO 8601)"
    )
    legal_status_note: str = Field(title="Hinweis zum Rechtsstand", description=MARKDOWN)
    references: list[CrossReferenceOut] = Field(
        title="Querverweise", description="kuratierte Verweise auf andere Inhalte"
    )

    resolve_phase = slug_of("phase")
    resolve_sub_phases = slugs_of("sub_phases")
    resolve_workstreams = slugs_of("workstreams")
    resolve_scaling_driver = slug_of("scaling_driver")
    resolve_stakeholders = slugs_of("stakeholders")
    resolve_operator_models = slugs_of("operator_models")
    resolve_milestones = slugs_of("milestones")
    resolve_sources = slugs_of("sources")

    resolve_references = items_of("references_out")


class OperatorModelOut(ContentOut):
    name: str = Field(title="Name")
    abbreviation: str = Field(title="Abkürzung")
    family: choice(OperatorModel.Family) = Field(title="Gruppe")
    family_label: str = Field(title="Gruppe (Bezeichnung)")
    order: int = Field(title="Reihenfolge")
    summary: str = Field(title="Kurzbeschreibung")
    description: str = Field(title="Beschreibung", description=MARKDOWN)
    advantages: str = Field(title="Vorteile", description=MARKDOWN)
    disadvantages: str = Field(title="Nachteile", description=MARKDOWN)
    suitable_phases: list[str] = Field(title="passende Phasen", description=SLUGS)
    sources: list[str] = Field(title="Quellen", description=SOURCE_SLUGS)

    resolve_family_label = label_of("family")
    resolve_suitable_phases = slugs_of("suitable_phases")
    resolve_sources = slugs_of("sources")


class ExampleOut(ContentOut):
    title: str = Field(title="Titel")
    municipality: str = Field(title="Kommune")
    state: choice(FederalState) = Field(title="Land", description="Kürzel; „DE“: mehrere Länder")
    state_label: str = Field(title="Land (Bezeichnung)")
    size_class: choice(PracticeExample.SizeClass) = Field(title="Größenklasse")
    size_class_label: str = Field(title="Größenklasse (Bezeichnung)")
    solution_type: choice(PracticeExample.SolutionType) = Field(title="Art der Lösung")
    solution_type_label: str = Field(title="Art der Lösung (Bezeichnung)")
    phase_reached: str = Field(title="erreichte Phase", description="Kurzname der Phase")
    summary: str = Field(title="Kurzbeschreibung")
    body: str = Field(title="Beschreibung", description=MARKDOWN)
    lessons_learned: str = Field(title="Was die Skalierung getragen hat", description=MARKDOWN)
    evidence: choice(PracticeExample.Evidence) = Field(
        title="Art des Beispiels",
        description="documented: öffentlich belegt, mit Quelle; illustrative: Szenario",
    )
    evidence_label: str = Field(title="Art des Beispiels (Bezeichnung)")
    source_url: str = Field(title="Quelle")
    checked_on: date | None = Field(
        title="Stand", description="wann die Redaktion die Quellen geprüft hat (ISO 8601)"
    )
    sources: list[str] = Field(title="Quellen", description=SOURCE_SLUGS)
    criteria: list[str] = Field(title="veranschaulicht Kriterien", description=SLUGS)

    resolve_state_label = label_of("state")
    resolve_size_class_label = label_of("size_class")
    resolve_solution_type_label = label_of("solution_type")
    resolve_phase_reached = slug_of("phase_reached")
    resolve_evidence_label = label_of("evidence")
    resolve_criteria = slugs_of("criteria")
    resolve_sources = slugs_of("sources")


class ResourceOut(ContentOut):
    title: str = Field(title="Titel")
    publisher: str = Field(title="Herausgeber")
    year: int | None = Field(title="Jahr")
    kind: choice(Resource.Kind) = Field(title="Art")
    kind_label: str = Field(title="Art (Bezeichnung)")
    link: str = Field(title="Link", description="Adresse der Ressource selbst")
    description: str = Field(title="Beschreibung", description=MARKDOWN)
    criteria: list[str] = Field(title="passt zu Kriterien", description=SLUGS)

    resolve_kind_label = label_of("kind")

    @staticmethod
    def resolve_link(obj):
        return obj.url

    resolve_criteria = slugs_of("criteria")


class SourceOut(Schema):
    """A cited document; it has no page of its own, so no ``url`` (``link`` is the document)."""

    slug: str = Field(title="Kurzname", description=SLUG)
    title: str = Field(title="Titel")
    publisher: str = Field(title="Herausgeber")
    year: int | None = Field(title="Jahr")
    link: str = Field(title="Link", description="Adresse der Quelle selbst")
    supports: str = Field(title="Was die Quelle belegt")
    checked_on: date | None = Field(title="geprüft am", description="Datum (ISO 8601)")
    criteria: list[str] = Field(title="belegt Kriterien", description=SLUGS)
    examples: list[str] = Field(title="belegt Praxisbeispiele", description=SLUGS)
    operator_models: list[str] = Field(title="belegt Betreibermodelle", description=SLUGS)
    phases: list[str] = Field(title="belegt Phasen", description=SLUGS)
    updated_at: datetime = Field(title="zuletzt geändert", description="Zeitpunkt (ISO 8601)")

    resolve_criteria = slugs_of("criteria")
    resolve_examples = slugs_of("examples")
    resolve_operator_models = slugs_of("operator_models")
    resolve_phases = slugs_of("phases")

    @staticmethod
    def resolve_link(obj):
        return obj.url

    @field_serializer("updated_at")
    def serialize_updated_at(self, value):
        return timestamp(value)


class GlossaryTermOut(ContentOut):
    term: str = Field(title="Begriff")
    abbreviation: str = Field(title="Abkürzung")
    definition: str = Field(title="Erklärung", description=MARKDOWN)


def csv_columns(schema):
    """[(field name, German title), …] of the fields that fit into one spreadsheet cell."""
    flat = (str, int, bool, datetime, list[str], str | None, int | None, date | None)
    columns = [
        (name, field.title)
        for name, field in schema.model_fields.items()
        if field.annotation in flat or getattr(field.annotation, "__origin__", None) is Literal
    ]
    # After its own fields: the planner's lead time, then address, time stamp and review dates.
    lead_time = tuple(LeadTimeOut.model_fields.keys() - ContentOut.model_fields.keys())
    last = ("url", "updated_at", "last_reviewed_at", "next_review_due")
    return sorted(columns, key=lambda column: (column[0] in last, column[0] in lead_time))
