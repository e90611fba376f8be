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

from collections import Counter
from dataclasses import dataclass
from urllib.parse import urlencode

from django.db.models import CharField, Value

from roadmap.pagination import PAGE_PARAM, page_for, page_links

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

    def option_rows(self, *columns):
        return self.queryset.values("pk", "slug", *self.label_fields, *columns)

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
        nodes = self.option_rows("parent", "level", "tree_id", "lft", "rght")
        for node in nodes.order_by("tree_id", "lft"):
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


@dataclass
class BoundFacet:
    """A facet with this request's options, selection and counts."""

    facet: Facet
    options: list

    def __post_init__(self):
        self.by_value = {option.value: option for option in self.options}

    @property
    def param(self):
        return self.facet.param

    @property
    def label(self):
        return self.facet.label

    @property
    def hint(self):
        return self.facet.hint

    @property
    def widget(self):
        return self.facet.widget

    @property
    def empty_label(self):
        return self.facet.empty_label

    @property
    def selected(self):
        """The chosen options, in option order (not in the order of the address)."""
        return [option for option in self.options if option.selected]

    @property
    def selected_keys(self):
        return {option.key for option in self.selected}

    @property
    def is_active(self):
        return bool(self.selected)

    @property
    def choices(self):
        """The options to show in the form."""
        if not self.facet.hide_empty:
            return self.options
        return [option for option in self.options if option.count or option.selected]

    @property
    def summary(self):
        return self.facet.summary(self.selected)

    def read(self, raw_values, notes):
        for raw in raw_values:
            value = raw.strip()
            if not value:
                continue  # an empty select ("alle") or checkbox value means: no filter
            option = self.by_value.get(value) if len(value) <= MAX_VALUE_LENGTH else None
            if option is None:
                notes.append(f"Der Filterwert „{shown(value)}“ ist unbekannt und wurde ignoriert.")
            elif option.selected:
                continue  # repeated parameter, same value
            elif self.selected and not self.facet.multiple:
                notes.append(
                    f"Für „{self.facet.label}“ ist nur ein Wert möglich; "
                    f"der Filterwert „{shown(value)}“ wurde ignoriert."
                )
            else:
                option.selected = True


class FilterSet:
    """The filter state of one request; see the module docstring."""

    def __init__(self, params, facets, *, noun=("Eintrag", "Einträge"), path=""):
        self.noun = noun
        self.path = path
        self.facets = [BoundFacet(facet, facet.load_options()) for facet in facets]
        notes = []
        for bound in self.facets:
            bound.read(params.getlist(bound.param), notes)
        unique = list(dict.fromkeys(notes))
        self.notes = unique[:MAX_NOTES]
        self.hidden_note_count = len(unique) - len(self.notes)
        self.result_count = None

    # -- matching and counting ---------------------------------------------------------

    def load_relation_keys(self, items):
        """{param: {item pk: {option keys}}} for all relation facets, in one UNION query."""
        relations = [bound for bound in self.facets if bound.facet.is_relation]
        keys = {bound.param: {} for bound in relations}
        if not relations:
            return keys
        first, *others = [bound.facet.pairs(items.model) for bound in relations]
        rows = first.union(*others, all=True) if others else first
        for item_pk, param, key in rows:
            keys[param].setdefault(item_pk, set()).add(key)
        return keys

    def getters(self, items):
        relation_keys = self.load_relation_keys(items)
        getters = {}
        for bound in self.facets:
            if bound.facet.is_relation:
                by_item = relation_keys[bound.param]
                getters[bound.param] = lambda row, by_item=by_item: by_item.get(row["pk"], ())
            else:
                getters[bound.param] = bound.facet.key_getter(bound.options)
        return getters

    def matching_pks(self, items):
        """The primary keys of the matching items (in queryset order); sets every option's
        count. Reads plain values, so no model instance is built for items not shown."""
        getters = self.getters(items)
        columns = {column for bound in self.facets for column in bound.facet.columns}
        active = [bound for bound in self.facets if bound.is_active]
        selected = {bound.param: bound.selected_keys for bound in active}
        counts = {bound.param: Counter() for bound in self.facets}
        results = []
        for row in items.prefetch_related(None).values("pk", *columns):
            keys = {param: set(getter(row)) for param, getter in getters.items()}
            failing = [b.param for b in active if not keys[b.param] & selected[b.param]]
            if not failing:
                results.append(row["pk"])
                for param, item_keys in keys.items():
                    counts[param].update(item_keys)
            elif len(failing) == 1:
                counts[failing[0]].update(keys[failing[0]])
        for bound in self.facets:
            for option in bound.options:
                option.count = counts[bound.param][option.key]
        self.result_count = len(results)
        return results

    # -- presentation ------------------------------------------------------------------

    @property
    def active(self):
        return [bound for bound in self.facets if bound.is_active]

    @property
    def is_active(self):
        return bool(self.active)

    @property
    def count_label(self):
        singular, plural = self.noun
        return f"{self.result_count} {singular if self.result_count == 1 else plural}"

    @property
    def summary(self):
        """„12 Kriterien · Phase: P3 Pilotphase · Arbeitsstrang: Technisch“"""
        return " · ".join([self.count_label, *(bound.summary for bound in self.active)])

    def url(self, without=None, page=None):
        """The address of the current (valid) state, optionally without one filter or on
        another result page (page 1 is the address without a page number)."""
        pairs = [
            (bound.param, option.value)
            for bound in self.active
            if bound.param != without
            for option in bound.selected
        ]
        if page and page > 1:
            pairs.append((PAGE_PARAM, page))
        return f"{self.path}?{urlencode(pairs)}" if pairs else self.path

    def add_note(self, note):
        self.notes.append(note)

    @property
    def removals(self):
        """[(summary of one active filter, address without it), …]"""
        return [(bound.summary, self.url(without=bound.param)) for bound in self.active]


class FilteredListMixin:
    """For a ListView: ``facets`` and ``result_noun`` declare the filters,
    ``get_base_queryset`` the published items in display order (with what the cards need).

    The matching is done on plain values; only the shown page of ``paginate_by`` items is
    loaded as objects. A page number that is not a number or out of range shows the nearest
    page with a note instead of an error.
    """

    facets = ()
    result_noun = ("Eintrag", "Einträge")
    paginate_by = PAGE_SIZE
    page_kwarg = PAGE_PARAM

    def get_base_queryset(self):
        raise NotImplementedError

    def get_queryset(self):
        self.filterset = FilterSet(
            self.request.GET, self.facets, noun=self.result_noun, path=self.request.path
        )
        return self.filterset.matching_pks(self.get_base_queryset())

    def paginate_queryset(self, pks, page_size):
        paginator = self.get_paginator(pks, page_size)
        raw = self.request.GET.get(self.page_kwarg, "").strip()
        page, moved = page_for(paginator, raw)
        if moved:
            self.filterset.add_note(
                f"Die Seite „{shown(raw)}“ gibt es nicht; gezeigt wird Seite {page.number}."
            )
        page.object_list = list(self.get_base_queryset().filter(pk__in=page.object_list))
        return paginator, page, page.object_list, page.has_other_pages()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(filters=self.filterset, **kwargs)
        if context["is_paginated"]:
            context["page_links"] = page_links(
                context["page_obj"], lambda number: self.filterset.url(page=number)
            )
        return context
