from django.contrib import admin

from editorial.admin import PublishableAdmin, VersionedAdmin

from .admin_filters import SourceCheckFilter, SourceLinkFilter, SourceUseFilter
from .models import PracticeExample, Resource, Source


@admin.register(PracticeExample)
class PracticeExampleAdmin(PublishableAdmin):
    list_display = ["title", "municipality", "state", "size_class", "phase_reached", "evidence",
                    "status"]  # fmt: skip
    list_filter = ["status", "evidence", "state", "size_class", "solution_type", "phase_reached"]
    search_fields = ["title", "municipality", "summary", "body"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["phase_reached", "criteria"]
    list_select_related = ["phase_reached"]
    markdown_fields = ["body", "lessons_learned"]


@admin.register(Resource)
class ResourceAdmin(PublishableAdmin):
    list_display = ["title", "publisher", "year", "kind", "status"]
    list_filter = ["status", "kind", "year"]
    search_fields = ["title", "publisher", "description"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["criteria"]
    markdown_fields = ["description"]


@admin.register(Source)
class SourceAdmin(VersionedAdmin):
    list_display = ["title", "publisher", "year", "checked_on", "has_link"]
    list_filter = [SourceLinkFilter, SourceCheckFilter, SourceUseFilter, "publisher", "year"]
    search_fields = ["title", "publisher", "supports", "url"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["criteria", "examples", "operator_models", "phases"]

    @admin.display(description="Link", boolean=True)
    def has_link(self, obj):
        return bool(obj.url)
