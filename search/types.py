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
    weights: dict  # {"A": (field, …), "B": …, "C": …}; also for the stored vectors
    title_field: str
    snippet_fields: tuple  # (field, is_markdown), in the order a snippet is looked for
    meta: Callable = field(default=lambda obj: "")
    # What ``meta`` and ``get_absolute_url`` read besides the slug, as ``values()`` paths:
    # a hit loads only its columns (search.engine).
    meta_columns: tuple = ()

    @property
    def all_fields(self):
        return [name for names in self.weights.values() for name in names]

    @property
    def columns(self):
        snippets = [
            f"{name}_html" if is_markdown else name for name, is_markdown in self.snippet_fields
        ]
        return ("pk", "slug", self.title_field, *snippets, *self.meta_columns)

    def base(self):
        return self.model.objects.public()


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
        weights={"A": ("title",), "B": ("summary",), "C": ("body",)},
        title_field="title",
        snippet_fields=(("summary", False), ("body", True)),
        meta=lambda criterion: f"ab {criterion.phase}",
        meta_columns=("phase__number", "phase__name"),
    ),
    SearchableType(
        key="praxisbeispiele",
        label="Praxisbeispiel",
        label_plural="Praxisbeispiele",
        model=PracticeExample,
        weights={
            "A": ("title",),
            "B": ("municipality", "summary"),
            "C": ("body", "lessons_learned"),
        },
        title_field="title",
        snippet_fields=(("summary", False), ("body", True), ("lessons_learned", True)),
        meta=_example_meta,
        meta_columns=("evidence", "municipality", "size_class"),
    ),
    SearchableType(
        key="betreibermodelle",
        label="Betreibermodell",
        label_plural="Betreibermodelle",
        model=OperatorModel,
        weights={"A": ("name", "abbreviation"), "B": ("summary",), "C": ("description",)},
        title_field="name",
        snippet_fields=(("summary", False), ("description", True)),
        meta=lambda model: model.get_family_display(),
        meta_columns=("family",),
    ),
    SearchableType(
        key="phasen",
        label="Phase",
        label_plural="Phasen",
        model=Phase,
        weights={"A": ("name",), "B": ("teaser",), "C": ("description",)},
        title_field="name",
        snippet_fields=(("teaser", False), ("description", True)),
        meta=_phase_meta,
        meta_columns=(
            "number",
            "parent",
            "parent__slug",
            "parent__parent",
            "parent__number",
            "parent__name",
        ),
    ),
    SearchableType(
        key="meilensteine",
        label="Meilenstein",
        label_plural="Meilensteine",
        model=Milestone,
        weights={"A": ("title",), "B": ("question",), "C": ("description",)},
        title_field="title",
        snippet_fields=(("description", True), ("question", False)),
        meta=lambda milestone: f"{milestone.phase} · {milestone.get_kind_display()}",
        meta_columns=("kind", "phase__slug", "phase__number", "phase__name"),
    ),
    SearchableType(
        key="glossar",
        label="Glossarbegriff",
        label_plural="Glossarbegriffe",
        model=GlossaryTerm,
        weights={"A": ("term", "abbreviation"), "B": ("definition",)},
        title_field="term",
        snippet_fields=(("definition", True),),
    ),
    SearchableType(
        key="ressourcen",
        label="Ressource",
        label_plural="Ressourcen",
        model=Resource,
        weights={"A": ("title",), "B": ("publisher",), "C": ("description",)},
        title_field="title",
        snippet_fields=(("description", True),),
        meta=_resource_meta,
        meta_columns=("publisher", "year", "kind"),
    ),
)
TYPES_BY_KEY = {content_type.key: content_type for content_type in CONTENT_TYPES}
