"""PostgreSQL only: a GiST index on the offer's position as a built-in `point`, for the radius search.

The expression is `point(longitude * 0.63, latitude)`: 0.63 ≈ cos 51°, Germany's middle latitude, so that
planar distances in the index are close to true distances across Germany (within about ±10 % between 47° and
55° N). `offers.search` uses it twice, with the same expression (`search.POSITION_SQL`, which must stay
equal to the one here):

- the radius prefilter `position <@ box(…)` (the bounding box of `geo.bounding_box`, scaled alike) before the
  exact great-circle distance, instead of four range conditions on a btree;
- the nearest candidates by `position <-> point(…)` (a KNN index scan that stops after RESULT_CAP + 1 rows),
  which the search then orders by the exact distance or ranks by fit.

The index covers the other columns the search filters on (INCLUDE), so that a radius search without words
never reads the table for its candidates. No PostGIS; no model field (Django never writes it). ANALYZE afterwards gathers the expression's statistics.
SQLite does nothing here; its search computes the distance directly.
"""

from django.db import migrations

INDEX = "offers_offer_position_gist"
# Every column the search's conditions and its candidate query read, except the text: a radius search
# without words is an index-only scan (no table rows read until the page's 20).
COVERED = [
    "status",
    "deadline",
    "start_date",
    "places",
    "places_taken",
    "occupation_id",
    "certificate",
    "latitude",
    "longitude",
    "id",
]


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON offers_offer USING gist (point(longitude * 0.63, latitude)) "
        f"INCLUDE ({', '.join(COVERED)})"
    )
    schema_editor.execute("ANALYZE offers_offer")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("offers", "0007_offer_search_trigram")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
