"""Where the German content lives and how it gets into the database."""

from django.conf import settings
from django.core.management import call_command
from django.db import transaction

FIXTURE_DIR = settings.BASE_DIR / "fixtures"


def fixture_files():
    return sorted(str(path) for path in FIXTURE_DIR.glob("*.yaml"))


@transaction.atomic
def load_content(verbosity=0):
    """Load every fixture; natural keys make a second run update rows instead of adding."""
    from phases.models import Phase, ScalingDriver

    call_command("loaddata", *fixture_files(), verbosity=verbosity)
    # Keep the trees consistent even if a hand-edited fixture got its MPTT fields wrong.
    Phase.objects.rebuild()
    ScalingDriver.objects.rebuild()
