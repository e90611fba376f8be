"""A criterion's links to the small public tables, in one query instead of one prefetch each.

Workstreams, stakeholders, sub-phases and operator models are a few dozen rows that every
process keeps per content state (core/lookups.py). A criterion page then only needs the keys
of its links: one ``UNION ALL`` over the four link tables. The lists come out in the same
order the prefetches had (each model's ordering) and hold only public rows.
"""

from django.db.models import Value

from core.publishing import public_tree_nodes

from .criteria import Criterion
from .structure import Phase, public_workstreams
from .taxonomy import public_operator_models, public_stakeholders


def _public_rows():
    return {
        "workstreams": public_workstreams(),
        "stakeholders": public_stakeholders(),
        "sub_phases": public_tree_nodes(Phase),
        "operator_models": public_operator_models(),
    }


def attach_small_relations(criterion):
    """Fill ``criterion.<relation>.all()`` for the four small relations, as a prefetch would."""
    rows = _public_rows()
    names = list(rows)
    parts = []
    for index, name in enumerate(names):
        field = Criterion._meta.get_field(name)
        through = field.remote_field.through
        parts.append(
            through.objects.filter(**{field.m2m_field_name(): criterion.pk})
            .order_by()
            .values_list(Value(index), f"{field.m2m_reverse_field_name()}_id")
        )
    keys = {name: set() for name in names}
    for index, target in parts[0].union(*parts[1:], all=True):
        keys[names[index]].add(target)
    cache = criterion.__dict__.setdefault("_prefetched_objects_cache", {})
    for name in names:
        queryset = getattr(criterion, name).all()
        queryset._result_cache = [row for row in rows[name] if row.pk in keys[name]]
        queryset._prefetch_done = True
        cache[name] = queryset
