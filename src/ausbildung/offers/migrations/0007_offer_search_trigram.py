"""PostgreSQL only: a trigram index on Offer.search_text, so that a word found inside a compound
("informatik" in "fachinformatiker") is served by an index (`offers.search._text_filter`).

pg_trgm is a trusted extension (PostgreSQL 13+): the owner of the database may create it. SQLite does
nothing here; its search matches substrings directly.
"""

from django.db import migrations

INDEX = "offers_offer_search_trgm"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON offers_offer USING gin (search_text gin_trgm_ops)"
    )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("offers", "0006_offer_search_vector")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
