"""PostgreSQL only: the `german` tsvector of Offer.search_text as a stored generated column, GIN-indexed.

With the expression index of migration 0002 the search had to compute `to_tsvector` again for every row it
rechecked or scanned: a broad word ("büro", 150,000 of 500,000 generated offers) took 15 s just to count
(bench/offers_search.py). The stored column makes each check a comparison. It is not a model field: Django
never writes it (PostgreSQL computes it), `offers.search._text_filter` reads it. SQLite does nothing here.
"""

from django.db import migrations

OLD_INDEX = "offers_offer_search_german"
INDEX = "offers_offer_search_vector"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "ALTER TABLE offers_offer ADD COLUMN IF NOT EXISTS search_vector tsvector "
        "GENERATED ALWAYS AS (to_tsvector('german'::regconfig, search_text)) STORED"
    )
    schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {INDEX} ON offers_offer USING gin (search_vector)")
    schema_editor.execute(f"DROP INDEX IF EXISTS {OLD_INDEX}")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {OLD_INDEX} ON offers_offer "
        "USING gin (to_tsvector('german'::regconfig, search_text))"
    )
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")
    schema_editor.execute("ALTER TABLE offers_offer DROP COLUMN IF EXISTS search_vector")


class Migration(migrations.Migration):
    dependencies = [("offers", "0005_imported_company")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
