"""PostgreSQL only: a GIN index for the `german` full-text search over Offer.search_text.

The expression must match the one in `offers.search._text_filter` for the planner to use it. On SQLite
the search falls back to substring matching and this migration does nothing.
"""

from django.db import migrations

INDEX = "offers_offer_search_german"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON offers_offer "
        "USING gin (to_tsvector('german'::regconfig, search_text))"
    )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("offers", "0001_initial")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
