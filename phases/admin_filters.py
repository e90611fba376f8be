"""Admin list filters that help editors close gaps in the sources of criteria."""

from django.contrib import admin
from django.db.models import Q

# A criterion counts as sourced with at least one linked source that has a URL.
SOURCED = Q(sources__url__gt="")


class CriterionSourcesFilter(admin.SimpleListFilter):
    title = "Quellenlage"
    parameter_name = "quellenlage"

    def lookups(self, request, model_admin):
        return [
            ("belegt", "mit Quelle (mit Link)"),
            ("redaktion", "Einschätzung der Redaktion"),
            ("offen", "weder Quelle noch Einschätzung der Redaktion"),
        ]

    def queryset(self, request, queryset):
        sourced = queryset.model.objects.filter(SOURCED).values("pk")
        if self.value() == "belegt":
            return queryset.filter(pk__in=sourced)
        if self.value() == "redaktion":
            return queryset.filter(editorial_assessment=True)
        if self.value() == "offen":
            return queryset.exclude(pk__in=sourced).filter(editorial_assessment=False)
        return queryset
