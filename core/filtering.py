"""The filter state of one request (``FilterSet``) and the list view mixin that pages through
the matching items; the facets themselves are declared with ``core.facets``."""

from dataclasses import dataclass
from urllib.parse import urlencode

from core import lookups
from core.pagination import PAGE_PARAM, page_for, page_links

from .facets import MAX_NOTES, MAX_VALUE_LENGTH, PAGE_SIZE, Facet, shown


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
        """The options to show in the form, each with the id of its checkbox."""
        choices = self.options
        if self.facet.hide_empty:
            choices = [option for option in choices if option.count or option.selected]
        for number, option in enumerate(choices, 1):
            option.input_id = f"filter-{self.param}-{number}"
        return choices

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
        """{param: {item pk: {option keys}}} for all relation facets, in one UNION query,
        read once per content state (core/lookups.py; callers only read the sets)."""
        relations = [bound for bound in self.facets if bound.facet.is_relation]
        if not relations:
            return {}

        def read():
            keys = {bound.param: {} for bound in relations}
            first, *others = [bound.facet.pairs(items.model) for bound in relations]
            rows = first.union(*others, all=True) if others else first
            for item_pk, param, key in rows:
                keys[param].setdefault(item_pk, set()).add(key)
            return keys

        facets = tuple(id(bound.facet) for bound in relations)
        return lookups.cached(("relation-keys", items.model._meta.label, facets), read)

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

    def item_index(self, items, key=None):
        """(item pks in queryset order, {param: {option key: frozenset of item pks}}) from
        plain rows (``pk`` and the facets' ``columns``). With a ``key`` it is built once per
        content state (core/lookups.py) under that key and the facets; callers only read it.
        ``items``: the items' QuerySet, or a function returning it (called only to build)."""

        def read():
            nonlocal items
            items = items() if callable(items) else items
            getters = self.getters(items)
            columns = sorted({column for bound in self.facets for column in bound.facet.columns})
            order = []
            postings = {param: {} for param in getters}
            for row in items.prefetch_related(None).values("pk", *columns):
                pk = row["pk"]
                order.append(pk)
                for param, getter in getters.items():
                    by_key = postings[param]
                    for option_key in getter(row):
                        by_key.setdefault(option_key, set()).add(pk)
            frozen = {
                param: {option_key: frozenset(pks) for option_key, pks in by_key.items()}
                for param, by_key in postings.items()
            }
            return tuple(order), frozen

        if key is None:
            return read()
        facets = tuple(id(bound.facet) for bound in self.facets)
        return lookups.cached(("item-index", key, facets), read)

    def matching_pks(self, items, rows_key=None):
        """The primary keys of the matching items (in queryset order); sets every option's
        count. Reads plain values, so no model instance is built for items not shown.
        ``rows_key``: see ``item_index``.

        An option's count is the number of items that carry it and pass every *other*
        active filter: set operations on the index instead of a loop over the items."""
        order, postings = self.item_index(items, rows_key)
        passing = {}  # param: the items one active filter lets through
        for bound in self.active:
            by_key = postings[bound.param]
            passing[bound.param] = frozenset().union(
                *(by_key.get(option_key, ()) for option_key in bound.selected_keys)
            )

        def passing_all(but=None):
            """The items passing every active filter except ``but``; None: every item."""
            sets = sorted((pks for param, pks in passing.items() if param != but), key=len)
            return sets[0].intersection(*sets[1:]) if sets else None

        for bound in self.facets:
            others = passing_all(but=bound.param)
            by_key = postings[bound.param]
            for option in bound.options:
                carrying = by_key.get(option.key, frozenset())
                option.count = len(carrying) if others is None else len(others & carrying)
        matching = passing_all()
        results = list(order) if matching is None else [pk for pk in order if pk in matching]
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
    # True if ``get_base_queryset`` is the same for every request (and the view uses the
    # lookup tables): the items' filter keys are then read once per content state.
    keys_per_content_state = False
    # ``staticmethod`` of a function (pk, load) -> the HTML of one item's card, kept per
    # content state (phases/cards.py); the template then prints ``cards``.
    render_card = None

    def get_base_queryset(self):
        raise NotImplementedError

    def get_queryset(self):
        self.filterset = FilterSet(
            self.request.GET, self.facets, noun=self.result_noun, path=self.request.path
        )
        if not self.keys_per_content_state:
            return self.filterset.matching_pks(self.get_base_queryset())
        # The queryset is built only when the index is (building it costs as much as a
        # small page's filtering).
        view = type(self)
        key = f"{view.__module__}.{view.__qualname__}"
        return self.filterset.matching_pks(self.get_base_queryset, rows_key=key)

    def page_items(self, pks):
        """The items of one result page, in the order of ``pks`` (the queryset's order)."""
        return list(self.get_base_queryset().filter(pk__in=pks))

    def paginate_queryset(self, pks, page_size):
        paginator = self.get_paginator(pks, page_size)
        raw = self.request.GET.get(self.page_kwarg, "").strip()
        page, moved = page_for(paginator, raw)
        if moved:
            self.filterset.add_note(
                f"Die Seite „{shown(raw)}“ gibt es nicht; gezeigt wird Seite {page.number}."
            )
        page.object_list = self.page_items(page.object_list)
        return paginator, page, page.object_list, page.has_other_pages()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(filters=self.filterset, **kwargs)
        if self.render_card is not None:
            context["cards"] = [
                self.render_card(item.pk, lambda item=item: item) for item in context["object_list"]
            ]
        if context["is_paginated"]:
            context["page_links"] = page_links(
                context["page_obj"], lambda number: self.filterset.url(page=number)
            )
        return context
