"""``manage.py render_markdown``: store the HTML of every Markdown text again.

Needed after a change to the Markdown pipeline (``core/markdown.py``, e.g. ``ALLOWED_TAGS``):
the stored HTML columns hold what the pipeline produced when each row was saved.
"""

from django.core.management.base import BaseCommand
from django.db import transaction

from core.stored_markdown import render_all_stored_markdown


class Command(BaseCommand):
    help = (
        "Erzeugt das gespeicherte HTML aller Markdown-Texte neu – nötig nach jeder Änderung "
        "an der Markdown-Verarbeitung (core/markdown.py). Texte und Verlauf bleiben unverändert."
    )

    def handle(self, *args, **options):
        with transaction.atomic():
            changed = render_all_stored_markdown()
        total = sum(changed.values())  # render_again renewed lookup tables and page cache
        for label, count in changed.items():
            if count and options["verbosity"] >= 2:
                self.stdout.write(f"  {label}: {count} Einträge neu gespeichert")
        self.stdout.write(
            self.style.SUCCESS(
                f"Markdown neu erzeugt: {total} Einträge mit geändertem HTML gespeichert, "
                "alle übrigen waren aktuell."
            )
        )
