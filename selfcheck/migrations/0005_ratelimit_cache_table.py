"""The database table that holds the shared rate-limit counters when there is no Redis.

``createcachetable`` creates the tables of every cache configured with the database backend
(settings.CACHES["ratelimit"] without Redis) and skips existing ones, so running it again –
or with Redis configured, when there is nothing to create – is harmless.
"""

from django.core.management import call_command
from django.db import migrations


def create_cache_tables(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("selfcheck", "0004_entry_snapshot")]

    operations = [migrations.RunPython(create_cache_tables, migrations.RunPython.noop)]
