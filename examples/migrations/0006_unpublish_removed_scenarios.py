"""The seven illustrative scenarios that the shipped content no longer contains (replaced by
documented examples in December 2026) become drafts in existing databases: the public site
shows at most eight scenarios. Nothing is deleted; editors can publish them again."""

from django.db import migrations

REMOVED_SCENARIOS = [
    "szenario-digitaler-zwilling-grossstadt",
    "szenario-buerger-app-kleinstadtverbund",
    "szenario-online-terminvergabe-kleinstadt",
    "szenario-open-data-portal-landkreis",
    "szenario-beteiligungsplattform-mittelstadt",
    "szenario-urbane-datenplattform-verbund",
    "szenario-smarte-strassenbeleuchtung",
]


def unpublish(apps, schema_editor):
    PracticeExample = apps.get_model("examples", "PracticeExample")
    PracticeExample.objects.filter(
        slug__in=REMOVED_SCENARIOS, evidence="illustrative", status="published"
    ).update(status="draft")


class Migration(migrations.Migration):
    dependencies = [("examples", "0005_sources")]

    operations = [migrations.RunPython(unpublish, migrations.RunPython.noop)]
