from django.core.management.base import BaseCommand

from workspace.seeding import ensure_initial_revisions


class Command(BaseCommand):
    help = (
        "Legt für jeden Inhalt ohne Verlauf die Fassung „Ausgangsfassung“ an, damit die erste "
        "Änderung verglichen und rückgängig gemacht werden kann (wiederholbar)."
    )

    def handle(self, *args, **options):
        created = ensure_initial_revisions()
        self.stdout.write(self.style.SUCCESS(f"{created} Ausgangsfassungen angelegt."))
