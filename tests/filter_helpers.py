"""Reading the filter state of a filtered list page (explorer, practice examples) in tests."""


def facet_counts(response, param, *, matching_only=False):
    """{option value: facet count} of one filter; with matching_only, counts of 0 are left out."""
    facet = next(f for f in response.context["filters"].facets if f.param == param)
    return {o.value: o.count for o in facet.options if o.count or not matching_only}


def filter_notes(response):
    return response.context["filters"].notes
