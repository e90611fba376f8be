from django.core.management.base import BaseCommand

from workspace.content import fixture_files, load_content


class Command(BaseCommand):
    help = "Lädt die Inhalte aus fixtures/ (wiederholbar, ohne Duplikate)."

    def handle(self, *args, **options):
        load_content(verbosity=max(options["verbosity"] - 1, 0))
        self.stdout.write(self.style.SUCCESS(f"{len(fixture_files())} Inhaltsdateien geladen."))
