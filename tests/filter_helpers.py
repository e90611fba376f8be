"""Reading the filter state of a filtered list page (explorer, practice examples) in tests."""

from django.db import connection
from django.test.utils import CaptureQueriesContext


def facet_counts(response, param, *, matching_only=False):
    """{option value: facet count} of one filter; with matching_only, counts of 0 are left out."""
    facet = next(f for f in response.context["filters"].facets if f.param == param)
    return {o.value: o.count for o in facet.options if o.count or not matching_only}


def filter_notes(response):
    return response.context["filters"].notes


def query_count(client, url, params):
    """How many SQL queries one (successful) request of the filtered page needs."""
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url, params).status_code == 200
    return len(ctx)


def assert_query_count_flat(client, url, params, grow):
    """The page needs as many queries after ``grow(2)`` as after ``grow(1)``: the count does
    not follow the amount of content."""
    grow(1)
    small = query_count(client, url, params)
    grow(2)
    assert query_count(client, url, params) == small
