from django.contrib import admin

from .models import GlossaryTerm, Page

admin.site.site_header = "Skalierungsroadmap – Redaktion"
admin.site.site_title = "Skalierungsroadmap"
admin.site.index_title = "Inhalte pflegen"


class PublishableAdmin(admin.ModelAdmin):
    """Shared admin behaviour for content with a draft/published state."""

    actions = ["publish", "unpublish"]
    readonly_fields = ["created_at", "updated_at"]

    @admin.action(description="Ausgewählte veröffentlichen")
    def publish(self, request, queryset):
        self._set_status(request, queryset, "published", "veröffentlicht")

    @admin.action(description="Ausgewählte auf Entwurf setzen")
    def unpublish(self, request, queryset):
        self._set_status(request, queryset, "draft", "auf Entwurf gesetzt")

    def _set_status(self, request, queryset, status, verb):
        for obj in queryset:
            obj.status = status
            obj.save(update_fields=["status"])
        self.message_user(request, f"{queryset.count()} Einträge {verb}.")


@admin.register(GlossaryTerm)
class GlossaryTermAdmin(PublishableAdmin):
    list_display = ["term", "abbreviation", "status", "updated_at"]
    list_filter = ["status"]
    search_fields = ["term", "abbreviation", "definition"]
    prepopulated_fields = {"slug": ["term"]}


@admin.register(Page)
class PageAdmin(PublishableAdmin):
    list_display = ["title", "slug", "order", "show_in_footer", "status", "updated_at"]
    list_filter = ["status", "show_in_footer"]
    search_fields = ["title", "lead", "body"]
    prepopulated_fields = {"slug": ["title"]}
