from django.core.management.base import BaseCommand, CommandError

from workspace.content import fixture_files, load_content


class Command(BaseCommand):
    help = (
        "Lädt die Inhalte aus fixtures/: ergänzt fehlende Einträge und lässt vorhandene "
        "unverändert. Mit --overwrite werden vorhandene Einträge auf die mitgelieferte Fassung "
        "zurückgesetzt (der bisherige Stand wird vorher im Verlauf gesichert)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--overwrite",
            action="store_true",
            help="Vorhandene Einträge mit dem Text aus fixtures/ überschreiben.",
        )
        parser.add_argument(
            "--noinput",
            "--no-input",
            action="store_false",
            dest="interactive",
            help="Keine Rückfrage (für Skripte).",
        )

    def handle(self, *args, overwrite=False, interactive=True, **options):
        if overwrite and interactive:
            answer = input(
                "Alle Einträge aus fixtures/ werden auf die mitgelieferte Fassung zurückgesetzt; "
                "Änderungen der Redaktion an diesen Einträgen sind danach nur noch im Verlauf. "
                "Fortfahren? Tippen Sie „ja“: "
            )
            if answer.strip().lower() != "ja":
                raise CommandError("Abgebrochen, nichts wurde geändert.")
        report = load_content(verbosity=max(options["verbosity"] - 1, 0), overwrite=overwrite)
        files = len(fixture_files())
        if overwrite:
            self.stdout.write(
                self.style.SUCCESS(
                    f"{files} Inhaltsdateien geladen; {report.overwritten} vorhandene Einträge "
                    "auf die mitgelieferte Fassung zurückgesetzt (vorher im Verlauf gesichert)."
                )
            )
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"{files} Inhaltsdateien gelesen: {report.total_added} Einträge ergänzt, "
                f"{report.total_skipped} vorhandene Einträge unverändert gelassen."
            )
        )
        if report.skipped and options["verbosity"] >= 2:
            for label, count in sorted(report.skipped.items()):
                self.stdout.write(f"  übersprungen: {count} {label}")
        for label, entry, reason in report.failed:
            self.stdout.write(self.style.WARNING(f"  nicht ergänzt ({label}) „{entry}“: {reason}"))
        if report.total_skipped:
            self.stdout.write(
                "Vorhandene Einträge überschreiben: manage.py load_content --overwrite"
            )
