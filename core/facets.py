"""Faceted GET filters for list pages, shared by the criteria explorer and the example list.

A list view declares its facets (one per GET parameter). For every request a ``FilterSet``

1. loads each facet's options (published taxonomy rows or fixed choices),
2. reads the GET values, keeps the known ones and turns every other value into a short German
   note (unknown values never cause an error and never empty the result),
3. loads the filter keys of all published items as plain values (no model instances), decides
   in Python which items match and counts, per option, how many items would match with that
   option plus the *other* active filters (facet counts).

Semantics: different filters are combined with AND; several values of one filter with OR.

The list view then loads full objects only for the page it shows (``FilteredListMixin``), so a
page costs the same however much content there is. Queries are fixed: one per taxonomy facet for
its options, one for the items' keys, one UNION query for all many-to-many facets, and the
shown page with whatever it prefetches.
"""

from dataclasses import dataclass

from django.db.models import CharField, Value

from . import lookups

CHECKBOXES = "checkboxes"
SELECT = "select"

MAX_VALUE_LENGTH = 120  # longer values cannot be a slug or a choice: rejected unread
SHOWN_VALUE_LENGTH = 40  # how much of a rejected value a note repeats
MAX_NOTES = 5
PAGE_SIZE = 20


@dataclass
class Option:
    """One selectable value of a facet."""

    value: str  # as it appears in the URL
    label: str
    key: object  # what items carry: a primary key, a choice value, True
    level: int = 0  # depth in a tree, for indentation
    span: tuple | None = None  # (tree_id, lft, rght) for tree options
    count: int = 0
    selected: bool = False
    input_id: str = ""  # of its checkbox in the filter form (``BoundFacet.choices``)

    @property
    def indented_label(self):
        if not self.level:
            return self.label
        return "\u00a0\u00a0" * self.level + "– " + self.label


class Facet:
    """A filter: its GET parameter, its options and which option keys an item carries."""

    widget = CHECKBOXES
    multiple = True  # OR within the filter; False: one value, further ones are ignored
    hide_empty = False  # hide options without matches (unless selected)
    is_relation = False  # keys come from a many-to-many table, see ``pairs``

    def __init__(self, param, label, *, hint="", empty_label=""):
        self.param = param
        self.label = label
        self.hint = hint
        self.empty_label = empty_label

    def load_options(self):
        raise NotImplementedError

    @property
    def columns(self):
        """The item values (``QuerySet.values`` names) the key getter reads."""
        return (self.field,)

    def key_getter(self, options):
        """A function row -> iterable of option keys the item carries; a row is a dict of
        the item's ``pk`` and the facets' ``columns``."""
        raise NotImplementedError

    def summary(self, selected):
        return f"{self.label}: " + " oder ".join(option.label for option in selected)


class ChoiceFacet(Facet):
    """Filter on a model field with fixed choices (no query needed)."""

    def __init__(self, param, label, *, field, choices, hide_empty=False, **kwargs):
        super().__init__(param, label, **kwargs)
        self.field = field
        self.choices = list(choices)
        self.hide_empty = hide_empty

    def load_options(self):
        return [
            Option(value=str(value), label=str(text), key=value) for value, text in self.choices
        ]

    def key_getter(self, options):
        def keys(row):
            value = row[self.field]
            return (value,) if value not in (None, "") else ()

        return keys


class ModelFacet(Facet):
    """Filter on a foreign key; options are published rows, addressed by slug.

    Options are read as plain values: building model instances for every option of every
    facet cost more than the rest of the filtering. An option's label is made of the model's
    ``label_fields`` (default: ``name``), the columns its ``__str__`` joins with spaces.
    """

    def __init__(self, param, label, *, field, queryset, **kwargs):
        super().__init__(param, label, **kwargs)
        self.field = field  # the attname, e.g. "phase_id"
        self.queryset = queryset
        self.label_fields = getattr(queryset.model, "label_fields", ("name",))

    def option_rows(self, *columns, order_by=()):
        """The options as plain rows, read once per content state (core/lookups.py): options
        are published content, and callers only read the rows."""

        def read():
            rows = self.queryset.values("pk", "slug", *self.label_fields, *columns)
            return tuple(rows.order_by(*order_by) if order_by else rows)

        return lookups.cached(("facet-options", id(self), columns, order_by), read)

    def label_of(self, row):
        return " ".join(str(row[name]) for name in self.label_fields if row[name])

    def load_options(self):
        return [
            Option(value=row["slug"], label=self.label_of(row), key=row["pk"])
            for row in self.option_rows()
        ]

    def key_getter(self, options):
        def keys(row):
            value = row[self.field]
            return (value,) if value is not None else ()

        return keys


class RelationFacet(ModelFacet):
    """Filter on a many-to-many relation; ``field`` names the relation on the item model."""

    is_relation = True
    columns = ()

    def pairs(self, model):
        """(item pk, parameter, option key) rows of the relation, for every ``model`` row.

        Not limited to the listed items: the matching only looks up the items it lists, and a
        subquery to leave out the few others cost more to build than those rows cost to read.
        """
        relation = model._meta.get_field(self.field)
        through = relation.remote_field.through
        source = relation.m2m_field_name()
        target = relation.m2m_reverse_field_name()
        return (
            through.objects.order_by()
            .annotate(facet=Value(self.param, output_field=CharField()))
            .values_list(f"{source}_id", "facet", f"{target}_id")
        )

    def key_getter(self, options):
        raise AssertionError("relation keys come from FilterSet.load_relation_keys")


class TreeFacet(ModelFacet):
    """Filter on a foreign key into an MPTT tree: an option covers its whole subtree.

    A draft node hides its subtree from the options; items placed below a draft node still
    count for its published ancestors, because they are placed below those, too.
    """

    widget = SELECT
    multiple = False

    def __init__(self, param, label, *, hide_empty=False, **kwargs):
        super().__init__(param, label, **kwargs)
        # Safe in a tree: an option's count includes its subtree, so hiding the empty
        # options never hides the parent of a shown one.
        self.hide_empty = hide_empty

    def load_options(self):
        options, kept = [], set()
        nodes = self.option_rows(
            "parent", "level", "tree_id", "lft", "rght", order_by=("tree_id", "lft")
        )
        for node in nodes:
            if node["parent"] is not None and node["parent"] not in kept:
                continue
            kept.add(node["pk"])
            options.append(
                Option(
                    value=node["slug"],
                    label=self.label_of(node),
                    key=node["pk"],
                    level=node["level"],
                    span=(node["tree_id"], node["lft"], node["rght"]),
                )
            )
        return options

    @property
    def columns(self):
        return (f"{self.field}__tree_id", f"{self.field}__lft")

    def key_getter(self, options):
        tree_column, lft_column = self.columns
        by_tree = {}
        for option in options:
            by_tree.setdefault(option.span[0], []).append(option)
        cache = {}

        def keys(row):
            tree_id, lft = row[tree_column], row[lft_column]
            if tree_id is None:
                return ()
            if (tree_id, lft) not in cache:
                cache[tree_id, lft] = tuple(
                    option.key
                    for option in by_tree.get(tree_id, ())
                    if option.span[1] <= lft <= option.span[2]
                )
            return cache[tree_id, lft]

        return keys


class BooleanFacet(Facet):
    """A yes-only filter on a boolean field: ``?param=ja`` keeps the items where it is true."""

    multiple = False

    def __init__(self, param, label, *, field, option_label, summary_text, value="ja", **kw):
        super().__init__(param, label, **kw)
        self.field = field
        self.option_label = option_label
        self.summary_text = summary_text
        self.value = value

    def load_options(self):
        return [Option(value=self.value, label=self.option_label, key=True)]

    def key_getter(self, options):
        return lambda row: (True,) if row[self.field] else ()

    def summary(self, selected):
        return self.summary_text


def shown(value):
    """A rejected value, shortened and printable, for a note (escaped by the template)."""
    value = "".join(char if char.isprintable() else "\ufffd" for char in value)
    if len(value) > SHOWN_VALUE_LENGTH:
        value = value[:SHOWN_VALUE_LENGTH].rstrip() + "…"
    return value
