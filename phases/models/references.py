"""Cross-references: curated links from a criterion to other content, shown both ways."""

import operator
from functools import reduce

from django.db import models
from django.db.models import F, Q

from core.publishing import LeanRowsMixin, public_tree_nodes

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


# The rows a reference's link shows (``__str__`` and ``get_absolute_url``), and their columns.
LINKED_ROWS = {
    "source": ("title", "slug"),
    "target_criterion": ("title", "slug"),
    "target_milestone": ("title", "slug", "phase"),
    "target_example": ("title", "slug"),
    "target_resource": ("title", "slug"),
}


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

    def around(self, criterion):
        """(outgoing, incoming) visible references of a criterion, in one query.

        Only the columns a link needs are read. Phases (also a milestone's phase) and operator
        models come from the small tables every process keeps (core/lookups.py) instead of
        joins; ``public()`` has already kept only references to public ones."""
        phases = {node.pk: node for node in public_tree_nodes(Phase)}
        operator_models = {model.pk: model for model in public_operator_models()}
        references = list(
            self.public()
            .filter(Q(source=criterion) | Q(target_criterion=criterion))
            .select_related(*LINKED_ROWS)
            .only(
                "kind",
                "note",
                *CROSSREF_TARGET_FIELDS,
                *(
                    f"{relation}__{name}"
                    for relation, names in LINKED_ROWS.items()
                    for name in names
                ),
            )
        )
        for ref in references:
            if ref.target_phase_id:
                ref.target_phase = phases[ref.target_phase_id]
            elif ref.target_operator_model_id:
                ref.target_operator_model = operator_models[ref.target_operator_model_id]
            elif ref.target_milestone_id:
                ref.target_milestone.phase = phases[ref.target_milestone.phase_id]
        outgoing = [ref for ref in references if ref.source_id == criterion.pk]
        incoming = [ref for ref in references if ref.source_id != criterion.pk]
        return outgoing, incoming


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
