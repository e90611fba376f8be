"""What the search covers: one ``SearchableType`` per content type, public rows only."""

from collections.abc import Callable
from dataclasses import dataclass, field

from examples.evidence import DOCUMENTED_LABEL, SCENARIO_LABEL
from examples.models import PracticeExample, Resource
from information.models import GlossaryTerm
from phases.models import Criterion, Milestone, OperatorModel, Phase


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


def _phase_meta(phase):
    if phase.parent_id:
        return f"Teilphase von {phase.parent}"
    return f"Phase {phase.number}" if phase.number else "phasenübergreifend"


def _example_meta(example):
    kind = DOCUMENTED_LABEL if example.evidence == example.Evidence.DOCUMENTED else SCENARIO_LABEL
    return f"{kind} · {example.municipality} · {example.get_size_class_display()}"


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
        published=lambda rows: rows.public().select_related_for_links("parent"),
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
        published=lambda rows: rows.public().select_related_for_links("phase"),
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
