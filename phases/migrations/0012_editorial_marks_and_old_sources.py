"""Existing databases: criteria without a linked source get the mark "Einschätzung der Redaktion"
as in the shipped content, and the free-text sources the shipped content used to have are cleared
(sources are rows of their own since December 2026, see fixtures/12_sources.yaml). Only the exact
shipped texts are cleared; a source an editor wrote stays. Loading the content never overwrites
existing rows, hence this migration."""

from django.db import migrations

EDITORIAL = [
    "business-case",
    "foerdermittelmanagement",
    "grobe-kostenschaetzung",
    "ideenbewertung",
    "risikomanagement",
    "technische-vorpruefung",
    "veraenderungsmanagement",
]

SHIPPED_SOURCE_TEXTS = [
    "BBSR (2019): Smart Cities gestalten – Rechts- und Organisationsformen",
    "BBSR-Dossier „Smart Cities gestalten: Welche Rechts- und Organisationsformen wählen?“ (2019); BBSR-Forschungsprojekt „Smart-City-Lösungen skalieren“ (2023–2024)",
    "BBSR-Forschungsprojekt „Smart-City-Lösungen skalieren“ (2023–2024)",
    "DIN SPEC 91357 (2017): Referenzarchitekturmodell Offene Urbane Plattform",
    "DIN SPEC 91357 (2017); Smart City Charta (2017)",
    "Difu für BBSR (2025): Fünf zentrale Faktoren für die Verstetigung – Faktor Kosten reduzieren und teilen",
    "Difu für BBSR (2025): Fünf zentrale Faktoren für die Verstetigung – Faktor Vermittlung der Maßnahme und ihrer Ziele",
    "Difu für BBSR (2025): Fünf zentrale Faktoren für die Verstetigung – Faktor Wirkung erfassen und aufzeigen",
    "Difu für BBSR (2025): Fünf zentrale Faktoren für die Verstetigung – Faktor technische Anschlussfähigkeit",
    "Difu für BBSR (2025): Fünf zentrale Faktoren für die Verstetigung – Faktor verbindliche Verantwortung für den Weiterbetrieb",
    "Difu für BBSR (2025): Fünf zentrale Faktoren für die Verstetigung",
    "OZG-Prinzip „Einer für Alle“",
    "Redaktion Skalierungsroadmap (auf Grundlage von Art. 25 DSGVO)",
    "Redaktion Skalierungsroadmap (auf Grundlage von GWB, VgV, UVgO und EVB-IT)",
    "Redaktion Skalierungsroadmap",
    "Redaktion Skalierungsroadmap, auf Grundlage des BSI-IT-Grundschutzes",
    "Smart City Charta (2017)",
    "Smart City Charta (2017); BITV 2.0",
]


def forwards(apps, schema_editor):
    Criterion = apps.get_model("phases", "Criterion")
    Criterion.objects.filter(slug__in=EDITORIAL).update(editorial_assessment=True)
    Criterion.objects.filter(source__in=SHIPPED_SOURCE_TEXTS, source_url="").update(source="")


class Migration(migrations.Migration):
    dependencies = [("phases", "0011_review_dates")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
