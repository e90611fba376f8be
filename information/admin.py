"""Admins of the glossary and the information pages."""

from django.contrib import admin

from editorial.admin import PublishableAdmin

from .models import GlossaryTerm, Page


@admin.register(GlossaryTerm)
class GlossaryTermAdmin(PublishableAdmin):
    list_display = ["term", "abbreviation", "status", "updated_at"]
    list_filter = ["status"]
    search_fields = ["term", "abbreviation", "definition"]
    prepopulated_fields = {"slug": ["term"]}
    markdown_fields = ["definition"]


@admin.register(Page)
class PageAdmin(PublishableAdmin):
    list_display = ["title", "slug", "order", "show_in_footer", "status", "updated_at"]
    list_filter = ["status", "show_in_footer"]
    search_fields = ["title", "lead", "body"]
    prepopulated_fields = {"slug": ["title"]}
    markdown_fields = ["body"]
