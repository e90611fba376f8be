from django.contrib import admin

from editorial.admin import PublishableAdmin

from .documents.models import Vorlage


@admin.register(Vorlage)
class VorlageAdmin(PublishableAdmin):
    list_display = ["title", "kind", "order", "status", "updated_at"]
    list_editable = ["order"]
    list_filter = ["status", "kind"]
    search_fields = ["title", "purpose", "body"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["phases", "criteria"]
