"""Stored full-text vectors for the site search (PostgreSQL only).

Every searchable model has a ``search_vector`` column with its weighted German ``tsvector``
(weights from ``search.views.CONTENT_TYPES``), indexed with GIN. The search filters and
ranks on that column instead of computing the vector of every row on every query.

The vectors are kept current in two ways:

- after every save (``post_save``, raw saves from ``loaddata`` included) one UPDATE
  recomputes the saved row's vector inside the database;
- after ``migrate`` (``post_migrate``) every row without a vector gets one: rows written with
  ``bulk_create`` or ``QuerySet.update()`` send no signal, and older databases had no column.

On SQLite the column exists but stays NULL: the search uses its LIKE fallback there.
"""

from functools import reduce
from operator import add

from django.apps import apps as global_apps
from django.contrib.postgres.search import SearchVector
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models.signals import post_migrate, post_save

from .query import SEARCH_CONFIG
from .types import CONTENT_TYPES

FIELD_NAME = "search_vector"

# model -> {"A": (field, …), "B": …, "C": …}
WEIGHTS = {content_type.model: content_type.weights for content_type in CONTENT_TYPES}


def _is_postgres(using):
    return connections[using].vendor == "postgresql"


def document(weights):
    """The weighted German vector of a row, as an expression over its own columns."""
    return reduce(
        add,
        (
            SearchVector(*names, weight=weight, config=SEARCH_CONFIG)
            for weight, names in weights.items()
        ),
    )


def update_search_vector(sender, instance, using, **kwargs):
    """post_save: recompute the saved row's vector (one UPDATE, PostgreSQL only)."""
    if _is_postgres(using):
        rows = sender._base_manager.using(using).filter(pk=instance.pk)
        rows.update(**{FIELD_NAME: document(WEIGHTS[sender])})


def _migrated_model(apps, model):
    """The model as the migrations left it, or None if it has no vector column (yet)."""
    try:
        state_model = apps.get_model(model._meta.label)
    except LookupError:  # the app was migrated back to zero
        return None
    names = {field.name for field in state_model._meta.concrete_fields}
    return state_model if FIELD_NAME in names else None


def fill_missing_search_vectors(using=DEFAULT_DB_ALIAS, apps=global_apps, **kwargs):
    """post_migrate: give every row without a vector one (PostgreSQL only)."""
    if not _is_postgres(using):
        return
    for model, weights in WEIGHTS.items():
        state_model = _migrated_model(apps, model)
        if state_model is not None:
            rows = state_model._base_manager.using(using).filter(**{f"{FIELD_NAME}__isnull": True})
            rows.update(**{FIELD_NAME: document(weights)})


def connect_signals(app_config):
    for model in WEIGHTS:
        post_save.connect(
            update_search_vector, sender=model, dispatch_uid=f"search-vector-{model._meta.label}"
        )
    # post_migrate is sent for every app once the whole migrate run is done: listening to
    # this app's signal fills the vectors once.
    post_migrate.connect(
        fill_missing_search_vectors, sender=app_config, dispatch_uid="search-vector-fill"
    )
