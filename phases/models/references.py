"""Cross-references: curated links from a criterion to other content, shown both ways."""

import operator
from functools import reduce
from typing import NamedTuple

from django.db import models
from django.db.models import F, Q

from core import lookups
from core.publishing import LeanRowsMixin, public_tree_nodes_by_key

from .criteria import Criterion
from .structure import Milestone, Phase
from .taxonomy import OperatorModel, public_operator_models

CROSSREF_TARGET_FIELDS = (
    "target_criterion",
    "target_milestone",
    "target_phase",
    "target_example",
    "target_operator_model",
    "target_resource",
)


def exactly_one_not_null(fields):
    """Q that holds when exactly one of ``fields`` is set."""
    alternatives = [
        Q(**{f"{name}__isnull": False}, **{f"{o}__isnull": True for o in fields if o != name})
        for name in fields
    ]
    return reduce(operator.or_, alternatives)


class CrossReferenceQuerySet(LeanRowsMixin, models.QuerySet):
    def from_public_criteria(self):
        """References whose source criterion is public."""
        return self.filter(Criterion.public_q("source__"))

    def public(self):
        """References whose both ends are public (the one rule of each end's model)."""
        targets = {
            "target_criterion": Criterion,
            "target_milestone": Milestone,
            "target_phase": Phase,
            "target_example": self.model._meta.get_field("target_example").related_model,
            "target_operator_model": OperatorModel,
            "target_resource": self.model._meta.get_field("target_resource").related_model,
        }
        conditions = [
            Q(**{f"{name}__isnull": True}) | model.public_q(f"{name}__")
            for name, model in targets.items()
        ]
        return self.from_public_criteria().filter(*conditions)

    def visible(self):
        """Public references with every end loaded."""
        # Milestone and sub-phase URLs need their phase, so load those too.
        return self.public().select_related_for_links(
            "source", *CROSSREF_TARGET_FIELDS, "target_milestone__phase", "target_phase__parent"
        )

    def public_by_criterion(self):
        """({criterion pk: [outgoing]}, {criterion pk: [incoming]}) public references, kept
        per content state (core/lookups.py).

        All references are read once per content state, in their order, as plain rows of
        their own columns (``PublicReference``), grouped by the criterion at either end. Both
        ends come from the public rows every process keeps per content state (built with each
        model's ``public()``): a reference is kept when both ends are there, which is what
        ``public()`` decides in SQL.
        A criterion page then needs no query for them; before, its own query (with six joins,
        later without) cost a millisecond or more."""
        return lookups.cached("public-references-by-criterion", self._public_by_criterion)

    def _public_by_criterion(self):
        ends = public_link_rows(self.model)
        labels = dict(self.model.Kind.choices)
        target_columns = [f"{name}_id" for name in CROSSREF_TARGET_FIELDS]
        outgoing, incoming = {}, {}
        rows = self.model.objects.values_list("source_id", "kind", "note", *target_columns)
        for source_id, kind, note, *target_ids in rows:
            index = next(index for index, pk in enumerate(target_ids) if pk is not None)
            source = ends["source"].get(source_id)
            target = ends[CROSSREF_TARGET_FIELDS[index]].get(target_ids[index])
            if source is None or target is None:
                continue
            reference = PublicReference(source, target, labels[kind], note)
            outgoing.setdefault(source_id, []).append(reference)
            if CROSSREF_TARGET_FIELDS[index] == "target_criterion":
                incoming.setdefault(target_ids[index], []).append(reference)
        return outgoing, incoming


class PublicReference(NamedTuple):
    """A public cross-reference as pages show it: both ends' link rows, the label of its
    kind ("setzt voraus") and its note."""

    source: models.Model
    target: models.Model
    kind: str
    note: str


# The columns a reference's link shows of each end (``__str__`` and ``get_absolute_url``),
# and of examples and resources what the criterion page lists (phases/criterion_page.py).
LINK_COLUMNS = {
    "source": ("title", "slug"),
    "target_criterion": ("title", "slug"),
    "target_milestone": ("title", "slug", "phase"),
    "target_example": (
        *("title", "slug", "summary", "evidence", "checked_on", "source_url"),
        *("municipality", "state", "size_class"),
    ),
    "target_resource": ("title", "slug", "publisher", "year"),
}


def public_link_rows(model):
    """{end: {pk: public row}} for every end of a cross-reference, kept per content state.

    Phases and operator models are the small tables kept anyway; criteria, milestones,
    examples and resources are read with only their link columns, in their model's order.
    A milestone's phase is public whenever the milestone is, so it comes from the phase tree."""

    phases = public_tree_nodes_by_key(Phase)

    def read(end_model, columns):
        rows = {row.pk: row for row in end_model.objects.public().only(*columns)}
        for row in rows.values():
            if isinstance(row, Milestone):
                row.phase = phases[row.phase_id]
        return rows

    ends = {
        "target_phase": phases,
        "target_operator_model": {row.pk: row for row in public_operator_models()},
    }
    for field, columns in LINK_COLUMNS.items():
        end_model = model._meta.get_field(field).related_model
        ends[field] = lookups.cached(
            ("link-rows", end_model._meta.label, columns),
            lambda end_model=end_model, columns=columns: read(end_model, columns),
        )
    return ends


class CrossReference(models.Model):
    """A curated link from a criterion to exactly one other content item, with a reason."""

    class Kind(models.TextChoices):
        REQUIRES = "requires", "setzt voraus"
        RELATED = "related", "hängt zusammen mit"
        SUPPORTS = "supports", "unterstützt"
        ILLUSTRATED_BY = "illustrated", "wird veranschaulicht durch"
        SEE_ALSO = "see_also", "siehe auch"

    TARGET_FIELDS = CROSSREF_TARGET_FIELDS

    source = models.ForeignKey(
        Criterion,
        verbose_name="von Kriterium",
        on_delete=models.CASCADE,
        related_name="references_out",
    )
    kind = models.CharField("Art", max_length=12, choices=Kind.choices, default=Kind.RELATED)
    note = models.CharField(
        "Warum?", max_length=300, help_text="Ein Satz, warum das zusammengehört."
    )
    target_criterion = models.ForeignKey(
        Criterion,
        verbose_name="Kriterium",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="references_in",
    )
    target_milestone = models.ForeignKey(
        Milestone,
        verbose_name="Meilenstein",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="references_in",
    )
    target_phase = models.ForeignKey(
        Phase,
        verbose_name="Phase",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="criterion_references_in",
    )
    target_example = models.ForeignKey(
        "examples.PracticeExample",
        verbose_name="Praxisbeispiel",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="references_in",
    )
    target_operator_model = models.ForeignKey(
        OperatorModel,
        verbose_name="Betreibermodell",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="references_in",
    )
    target_resource = models.ForeignKey(
        "examples.Resource",
        verbose_name="Ressource",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="references_in",
    )

    objects = CrossReferenceQuerySet.as_manager()

    class Meta:
        ordering = ["source__title", "kind", "pk"]
        verbose_name = "Querverweis"
        verbose_name_plural = "Querverweise"
        constraints = [
            models.CheckConstraint(
                condition=exactly_one_not_null(CROSSREF_TARGET_FIELDS),
                name="crossref_exactly_one_target",
            ),
            models.CheckConstraint(
                condition=~Q(target_criterion=F("source")), name="crossref_not_self"
            ),
            *[
                models.UniqueConstraint(fields=["source", name], name=f"crossref_unique_{name}")
                for name in CROSSREF_TARGET_FIELDS
            ],
        ]

    def __str__(self):
        return f"{self.source} {self.get_kind_display()} {self.target}"

    def get_absolute_url(self):
        return self.source.get_absolute_url()

    @property
    def target(self):
        for name in self.TARGET_FIELDS:
            value = getattr(self, name)
            if value is not None:
                return value
        return None
