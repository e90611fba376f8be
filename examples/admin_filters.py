"""Admin list filters for sources: which ones lack a link, a check date or any use."""

from datetime import timedelta

from django.contrib import admin
from django.utils import timezone

# A source checked longer ago than this should be checked again.
RECHECK_AFTER = timedelta(days=365)


class SourceLinkFilter(admin.SimpleListFilter):
    title = "Link"
    parameter_name = "link"

    def lookups(self, request, model_admin):
        return [("ja", "mit Link"), ("nein", "ohne Link")]

    def queryset(self, request, queryset):
        if self.value() == "ja":
            return queryset.exclude(url="")
        if self.value() == "nein":
            return queryset.filter(url="")
        return queryset


class SourceCheckFilter(admin.SimpleListFilter):
    title = "Prüfung"
    parameter_name = "pruefung"

    def lookups(self, request, model_admin):
        return [("nie", "nie geprüft"), ("alt", "vor mehr als einem Jahr geprüft")]

    def queryset(self, request, queryset):
        if self.value() == "nie":
            return queryset.filter(checked_on__isnull=True)
        if self.value() == "alt":
            return queryset.filter(checked_on__lt=timezone.localdate() - RECHECK_AFTER)
        return queryset


class SourceUseFilter(admin.SimpleListFilter):
    title = "belegt"
    parameter_name = "belegt"

    def lookups(self, request, model_admin):
        return [
            ("kriterien", "Kriterien"),
            ("beispiele", "Praxisbeispiele"),
            ("betreibermodelle", "Betreibermodelle"),
            ("phasen", "Phasen"),
            ("nichts", "nichts (unbenutzt)"),
        ]

    RELATIONS = {
        "kriterien": "criteria",
        "beispiele": "examples",
        "betreibermodelle": "operator_models",
        "phasen": "phases",
    }

    def queryset(self, request, queryset):
        relation = self.RELATIONS.get(self.value())
        if relation:
            return queryset.filter(**{f"{relation}__isnull": False}).distinct()
        if self.value() == "nichts":
            unused = {f"{relation}__isnull": True for relation in self.RELATIONS.values()}
            return queryset.filter(**unused)
        return queryset
