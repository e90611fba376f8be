"""Delete Fahrpläne that nobody opened or changed within the retention period (12 months).

Run it daily, e.g. from cron or a systemd timer: `manage.py purge_fahrplaene`.
"""

from django.core.management.base import BaseCommand

from selfcheck.models import Fahrplan, retention


class Command(BaseCommand):
    help = "Löscht Fahrpläne, die seit 12 Monaten niemand geöffnet oder geändert hat."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Nur zählen, nichts löschen.",
        )

    def handle(self, *args, dry_run=False, **options):
        expired = Fahrplan.objects.expired()
        days = retention().days
        if dry_run:
            count = expired.count()
            self.stdout.write(f"{count} Fahrpläne wären zu löschen (unbenutzt seit {days} Tagen).")
            return
        _, per_model = expired.delete()
        count = per_model.get(Fahrplan._meta.label, 0)
        self.stdout.write(f"{count} Fahrpläne gelöscht (unbenutzt seit {days} Tagen).")
