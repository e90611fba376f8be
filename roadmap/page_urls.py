"""Editable information pages (Impressum, Datenschutz, …), sitemap.xml and robots.txt."""

urlpatterns = []
