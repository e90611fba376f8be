from django.apps import apps
from django.core.management.base import BaseCommand

from editorial.editorial_groups import ensure_editorial_groups, permission_matrix


class Command(BaseCommand):
    help = "Legt die Gruppen „Redaktion“ und „Chefredaktion“ an und setzt ihre Rechte neu."

    def handle(self, *args, **options):
        ensure_editorial_groups(apps)
        for name, permissions in permission_matrix().items():
            self.stdout.write(f"{name}: {len(permissions)} Rechte")
