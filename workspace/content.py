"""Where the German content lives and how it gets into the database.

By default loading only adds what is missing (``workspace.seeding``); existing entries keep the
editors' changes. ``overwrite=True`` resets them to the shipped text, after saving their
current state as a revision.
"""

from django.conf import settings
from django.core.management import call_command
from django.db import transaction

from .seeding import (
    AFTER_OVERWRITE_COMMENT,
    BEFORE_OVERWRITE_COMMENT,
    SeedReport,
    ensure_initial_revisions,
    existing_fixture_objects,
    record_revisions,
    seed_missing,
)

FIXTURE_DIR = settings.BASE_DIR / "fixtures"


def fixture_files():
    return sorted(str(path) for path in FIXTURE_DIR.glob("*.yaml"))


@transaction.atomic
def load_content(verbosity=0, overwrite=False):
    """Load the fixtures and give every entry its "Ausgangsfassung"; returns a SeedReport.

    Safe mode (default) adds missing entries only. ``overwrite`` replaces existing entries
    with the shipped text and records a revision before and after.
    """
    from phases.models import Phase, ScalingDriver

    files = fixture_files()
    if overwrite:
        existing = existing_fixture_objects(files)
        record_revisions(existing, BEFORE_OVERWRITE_COMMENT)
        call_command("loaddata", *files, verbosity=verbosity)
        report = SeedReport(overwritten=len(existing))
    else:
        report = seed_missing(files)
    # Keep the trees consistent even if a hand-edited fixture got its MPTT fields wrong.
    Phase.objects.rebuild()
    ScalingDriver.objects.rebuild()
    if overwrite:
        record_revisions(
            [type(obj)._base_manager.get(pk=obj.pk) for obj in existing], AFTER_OVERWRITE_COMMENT
        )
    ensure_initial_revisions()
    return report
