"""Publication state shared by every public content model.

Only published rows are public; editors see drafts in the admin. Each model
also gets a natural key (its slug) so fixtures stay readable and stable.
"""

from functools import cache

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import EmptyResultSet
from django.db import models
from django.db.models import Exists, Expression, OuterRef, Q
from django.utils import timezone
from mptt.managers import TreeManager
from mptt.querysets import TreeQuerySet

from . import lookups
from .stored_markdown import StoredMarkdownMixin


class Status(models.TextChoices):
    DRAFT = "draft", "Entwurf"
    PUBLISHED = "published", "Veröffentlicht"


@cache
def fields_of_type(model, field_types):
    """Names of ``model``'s columns of the given field types (fixed once models are loaded)."""
    return tuple(
        field.name for field in model._meta.concrete_fields if isinstance(field, field_types)
    )


def long_columns(model, relation=""):
    """``model``'s Markdown texts and search vector, as ``defer()`` names below ``relation``."""
    prefix = f"{relation}__" if relation else ""
    return [prefix + name for name in fields_of_type(model, (models.TextField, SearchVectorField))]


class LeanRowsMixin:
    """For cards and links, which show titles and summaries: the long columns, often most of
    a row's bytes, stay in the database."""

    def without_long_texts(self):
        return self.defer(*long_columns(self.model))

    def select_related_for_links(self, *relations):
        """``select_related`` that loads the related rows without their long columns."""
        deferred = []
        for relation in relations:
            model = self.model
            for name in relation.split("__"):
                model = model._meta.get_field(name).related_model
            deferred += long_columns(model, relation)
        return self.select_related(*relations).defer(*deferred)


class PublishableQuerySet(LeanRowsMixin, models.QuerySet):
    def public(self):
        """What anonymous visitors may see: the one rule, defined by ``Model.public_q``."""
        return self.filter(self.model.public_q())

    # Older name, kept so that every caller follows the same rule.
    published = public


class ContentManagerMixin:
    """Natural keys by slug, and rows without the stored search vector.

    The vector is about as large as the text it indexes and is only ever read inside the
    database (search/views.py), so loading it with every row would be pure transfer cost.
    """

    def get_by_natural_key(self, slug):
        return self.get(slug=slug)

    def get_queryset(self):
        return super().get_queryset().defer(*fields_of_type(self.model, (SearchVectorField,)))


class ContentManager(ContentManagerMixin, models.Manager.from_queryset(PublishableQuerySet)):
    pass


class TreeContentQuerySet(TreeQuerySet, PublishableQuerySet):
    pass


def public_tree_rule(model, prefix=""):
    """An MPTT node is public when it and every ancestor are published."""
    unpublished_line = model._default_manager.filter(
        tree_id=OuterRef(f"{prefix}tree_id"),
        lft__lte=OuterRef(f"{prefix}lft"),
        rght__gte=OuterRef(f"{prefix}rght"),
    ).exclude(status=Status.PUBLISHED)
    return Q(**{f"{prefix}status": Status.PUBLISHED}) & ~Exists(unpublished_line)


def public_tree_nodes(model):
    """``model``'s public nodes (``public_tree_rule``) in tree order, kept per content state
    (core/lookups.py). Shared by every request of this process: callers only read them."""
    return lookups.cached(f"public-nodes:{model._meta.label}", lambda: _load_public_tree(model))


def _load_public_tree(model):
    nodes = tuple(model._default_manager.filter(public_tree_rule(model)))
    by_pk = {node.pk: node for node in nodes}
    for node in nodes:  # a public node's parent is public too: link it, no query later
        if node.parent_id is not None:
            node.parent = by_pk[node.parent_id]
    return nodes


def public_tree_nodes_by_key(model):
    """{pk: node} of ``public_tree_nodes``, kept per content state."""
    return lookups.cached(
        f"public-nodes-by-key:{model._meta.label}",
        lambda: {node.pk: node for node in public_tree_nodes(model)},
    )


def public_tree_ids(model):
    """The keys of ``public_tree_nodes``."""
    return lookups.cached(
        f"public-ids:{model._meta.label}",
        lambda: frozenset(node.pk for node in public_tree_nodes(model)),
    )


class PublicTreeKeys(Expression):
    """The right-hand side ``(1, 2, …)`` of ``pk__in``: the public nodes' keys, looked up when
    the SQL is compiled, never when the queryset is built (module-level querysets exist)."""

    def __init__(self, model):
        super().__init__(output_field=models.BigIntegerField())
        self.model = model

    def as_sql(self, compiler, connection):
        ids = sorted(public_tree_ids(self.model))
        if not ids:
            raise EmptyResultSet  # Django then treats the condition as matching nothing
        return "(" + ", ".join(["%s"] * len(ids)) + ")", ids


def public_tree_q(model, prefix=""):
    """``public_tree_rule``; in a request that uses the lookup tables (core/lookups.py) as a
    plain key list instead: no correlated subquery in every query that names a phase or
    scaling driver (the tables are small, the list is kept per content state)."""
    if lookups.is_active():
        return Q(**{f"{prefix}pk__in": PublicTreeKeys(model)})
    return public_tree_rule(model, prefix)


class TreeContentManager(ContentManagerMixin, TreeManager.from_queryset(TreeContentQuerySet)):
    pass


class SlugKeyedMixin:
    """For models with ``slug`` and ``updated_at``: the slug is the natural key (readable,
    stable fixtures), and every save stamps ``updated_at`` (also with ``update_fields``)."""

    def save(self, *args, **kwargs):
        self.updated_at = timezone.now()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "updated_at"}
        super().save(*args, **kwargs)

    def natural_key(self):
        return (self.slug,)


class Publishable(StoredMarkdownMixin, SlugKeyedMixin, models.Model):
    status = models.CharField(
        "Status",
        max_length=10,
        choices=Status.choices,
        default=Status.DRAFT,
        db_index=True,
        help_text="Nur veröffentlichte Inhalte sind auf der Website sichtbar.",
    )
    # Defaults instead of auto_now(_add): loaddata saves raw and skips pre_save.
    created_at = models.DateTimeField("angelegt", default=timezone.now, editable=False)
    updated_at = models.DateTimeField("zuletzt geändert", default=timezone.now, editable=False)
    # Review dates (roadmap/review_dates.py): set by the "inhaltlich geprüft" tick.
    last_reviewed_at = models.DateField("zuletzt geprüft am", null=True, blank=True, editable=False)
    last_reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="zuletzt geprüft von",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    next_review_due = models.DateField(
        "nächste Prüfung",
        null=True,
        blank=True,
        help_text="Wird beim Haken „inhaltlich geprüft“ auf zwölf Monate später gesetzt, "
        "wenn Sie hier nichts anderes eintragen.",
    )

    objects = ContentManager()

    class Meta:
        abstract = True

    @classmethod
    def public_q(cls, prefix=""):
        """The visibility rule of this model as a Q, for a row reached through ``prefix``
        (e.g. ``"target_criterion__"``). Models with parents extend it."""
        return Q(**{f"{prefix}status": Status.PUBLISHED})

    @property
    def is_published(self):
        return self.status == Status.PUBLISHED

    @property
    def stand(self):
        """The date public pages show as "Stand": the last review, else the last change."""
        if self.last_reviewed_at:
            return self.last_reviewed_at
        return timezone.localdate(self.updated_at) if self.updated_at else None
