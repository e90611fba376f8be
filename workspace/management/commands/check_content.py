from django.core.management.base import BaseCommand, CommandError

from phases.models import Criterion
from workspace.integrity import content_problems


class Command(BaseCommand):
    help = "Prüft die Inhalte auf Waisen, tote Links, doppelte Titel, Quellen und Szenarien."

    def handle(self, *args, **options):
        self.print_matrix()
        problems = content_problems()
        for problem in problems:
            style = self.style.ERROR if problem.level == "error" else self.style.WARNING
            self.stdout.write(style(f"{problem.level.upper()}: {problem.message}"))
        errors = sum(p.level == "error" for p in problems)
        warnings = len(problems) - errors
        summary = f"{errors} Fehler, {warnings} Warnungen."
        if errors:
            raise CommandError(summary)
        self.stdout.write(self.style.SUCCESS(summary))

    def print_matrix(self):
        matrix = Criterion.objects.published().phase_workstream_grid()
        if not matrix:
            self.stdout.write("Keine Phasen vorhanden.")
            return
        header = ["Phase", *(ws.label for ws, _ in matrix[0][1]), "Kriterien"]
        self.stdout.write(" | ".join(f"{h:>9}" if i else f"{h:<40}" for i, h in enumerate(header)))
        for phase, cells, total in matrix:
            numbers = [*(n for _, n in cells), total]
            self.stdout.write(" | ".join([f"{str(phase)[:40]:<40}", *(f"{n:>9}" for n in numbers)]))
