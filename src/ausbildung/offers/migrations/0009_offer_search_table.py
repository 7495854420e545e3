"""PostgreSQL only: `offers_offer_search`, a narrow copy of the published offers for the search page, kept by
triggers; the model `OfferSearch` (unmanaged) reads it.

The search page ranks at most 1,001 candidates, but finding them meant checking words in the rows of
`offers_offer` (~1.6 kB each, 0.8 GB for 500,000 generated offers, bench/offers_search.py): a word in a 50 km
box read 10,000–16,000 rows from as many scattered pages. Here each published offer has one row with the
columns the search filters and sorts on, its distinct words (the substring match of `search._text_filter`
needs nothing else: a query word holds no space) and its `german` lexemes without positions (prefix matching
needs none). The GiST index on the scaled position (the expression of migration 0008) covers all columns, so a
radius search with words is a nearest-first index-only scan whose leaf pages lie together on the map; the GIN
indexes serve rare words, the primary key the newest first.

Words and lexemes together longer than 4,000 bytes are left NULL (a GiST index row holds at most 8,191 bytes);
for such an offer the search checks the text of `offers_offer` (`search._text_filter`); a partial index
lists these offers.

The triggers: after insert, delete and any update of a column copied here, the row is written or removed
(rows exist for published offers only); after a TRUNCATE of `offers_offer` (Django's flush) the table is
emptied. SQLite does nothing here; its search reads `offers_offer`.

The migration is not atomic: after the table is filled (in one transaction), VACUUM ANALYZE sets its
visibility map, without which PostgreSQL would not plan index-only scans until autovacuum came by.
"""

from django.db import migrations, models

TABLE = "offers_offer_search"
COLUMNS = [
    "deadline",
    "start_date",
    "places",
    "places_taken",
    "occupation_id",
    "certificate",
    "latitude",
    "longitude",
]
MAX_TEXT_BYTES = 4000

CREATE = [
    f"""
    CREATE TABLE IF NOT EXISTS {TABLE} (
        offer_id bigint PRIMARY KEY,
        deadline date NULL,
        start_date date NOT NULL,
        places smallint NOT NULL,
        places_taken smallint NOT NULL,
        occupation_id bigint NOT NULL,
        certificate varchar(4) NOT NULL,
        latitude double precision NULL,
        longitude double precision NULL,
        words text NULL,
        lexemes tsvector NULL
    )
    """,
    # The distinct words (any order) and the position-free `german` lexemes of an offer's search_text.
    f"""
    CREATE OR REPLACE FUNCTION offers_offer_search_text(search_text text, OUT words text, OUT lexemes tsvector)
    LANGUAGE plpgsql IMMUTABLE AS $$
    BEGIN
        SELECT coalesce(string_agg(DISTINCT word, ' '), '') INTO words
        FROM regexp_split_to_table(coalesce(search_text, ''), '\\s+') AS word WHERE word <> '';
        lexemes := strip(to_tsvector('german'::regconfig, coalesce(search_text, '')));
        IF octet_length(words) + pg_column_size(lexemes) > {MAX_TEXT_BYTES} THEN
            words := NULL;
            lexemes := NULL;
        END IF;
    END
    $$
    """,
    # The text check of an offer whose words are NULL here. A function, not an EXISTS in the query: PostgreSQL
    # may turn an EXISTS into a hashed subplan that runs the text search over all of `offers_offer` once.
    """
    CREATE OR REPLACE FUNCTION offers_offer_text_matches(offer bigint, query tsquery, pattern text)
    RETURNS boolean LANGUAGE plpgsql STABLE AS $$
    BEGIN
        RETURN EXISTS (
            SELECT 1 FROM offers_offer
            WHERE id = offer AND (search_vector @@ query OR search_text LIKE pattern)
        );
    END
    $$
    """,
    f"""
    CREATE OR REPLACE FUNCTION offers_offer_search_sync() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
        text_of record;
    BEGIN
        IF TG_OP = 'DELETE' THEN
            DELETE FROM {TABLE} WHERE offer_id = OLD.id;
            RETURN NULL;
        END IF;
        IF TG_OP = 'UPDATE' AND OLD.id <> NEW.id THEN
            DELETE FROM {TABLE} WHERE offer_id = OLD.id;
        END IF;
        IF NEW.status <> 'published' THEN
            DELETE FROM {TABLE} WHERE offer_id = NEW.id;
            RETURN NULL;
        END IF;
        text_of := offers_offer_search_text(NEW.search_text);
        INSERT INTO {TABLE} (offer_id, {", ".join(COLUMNS)}, words, lexemes)
        VALUES (NEW.id, {", ".join(f"NEW.{column}" for column in COLUMNS)}, text_of.words, text_of.lexemes)
        ON CONFLICT (offer_id) DO UPDATE SET
            {", ".join(f"{column} = EXCLUDED.{column}" for column in [*COLUMNS, "words", "lexemes"])};
        RETURN NULL;
    END
    $$
    """,
    f"""
    CREATE OR REPLACE FUNCTION offers_offer_search_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        TRUNCATE {TABLE};
        RETURN NULL;
    END
    $$
    """,
    "DROP TRIGGER IF EXISTS offers_offer_search_write ON offers_offer",
    "CREATE TRIGGER offers_offer_search_write AFTER INSERT OR DELETE ON offers_offer "
    "FOR EACH ROW EXECUTE FUNCTION offers_offer_search_sync()",
    "DROP TRIGGER IF EXISTS offers_offer_search_update ON offers_offer",
    "CREATE TRIGGER offers_offer_search_update AFTER UPDATE ON offers_offer FOR EACH ROW WHEN ("
    + " OR ".join(
        f"OLD.{column} IS DISTINCT FROM NEW.{column}" for column in ["id", "status", "search_text", *COLUMNS]
    )
    + ") EXECUTE FUNCTION offers_offer_search_sync()",
    "DROP TRIGGER IF EXISTS offers_offer_search_truncate ON offers_offer",
    "CREATE TRIGGER offers_offer_search_truncate AFTER TRUNCATE ON offers_offer "
    "FOR EACH STATEMENT EXECUTE FUNCTION offers_offer_search_truncate()",
    # The rows of the offers published so far, then the indexes (faster than filling indexed tables).
    f"TRUNCATE {TABLE}",
    f"""
    INSERT INTO {TABLE} (offer_id, {", ".join(COLUMNS)}, words, lexemes)
    SELECT offer.id, {", ".join(f"offer.{column}" for column in COLUMNS)}, text_of.words, text_of.lexemes
    FROM offers_offer AS offer CROSS JOIN LATERAL offers_offer_search_text(offer.search_text) AS text_of
    WHERE offer.status = 'published'
    ORDER BY offer.id
    """,
    f"CREATE INDEX IF NOT EXISTS {TABLE}_position ON {TABLE} USING gist (point(longitude * 0.63, latitude)) "
    f"INCLUDE (offer_id, {', '.join(COLUMNS)}, words, lexemes)",
    f"CREATE INDEX IF NOT EXISTS {TABLE}_lexemes ON {TABLE} USING gin (lexemes)",
    f"CREATE INDEX IF NOT EXISTS {TABLE}_words ON {TABLE} USING gin (words gin_trgm_ops)",
    f"CREATE INDEX IF NOT EXISTS {TABLE}_start ON {TABLE} (start_date, offer_id)",
    f"CREATE INDEX IF NOT EXISTS {TABLE}_occupation ON {TABLE} (occupation_id)",
    # The offers whose text is checked in `offers_offer`: with it, a text condition (an OR that includes them)
    # is still one BitmapOr of indexes.
    f"CREATE INDEX IF NOT EXISTS {TABLE}_long_text ON {TABLE} (offer_id) WHERE words IS NULL",
]

DROP = [
    "DROP TRIGGER IF EXISTS offers_offer_search_write ON offers_offer",
    "DROP TRIGGER IF EXISTS offers_offer_search_update ON offers_offer",
    "DROP TRIGGER IF EXISTS offers_offer_search_truncate ON offers_offer",
    "DROP FUNCTION IF EXISTS offers_offer_search_sync()",
    "DROP FUNCTION IF EXISTS offers_offer_search_truncate()",
    "DROP FUNCTION IF EXISTS offers_offer_search_text(text)",
    "DROP FUNCTION IF EXISTS offers_offer_text_matches(bigint, tsquery, text)",
    f"DROP TABLE IF EXISTS {TABLE}",
]


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for statement in CREATE:
        schema_editor.execute(statement)


def vacuum(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"VACUUM ANALYZE {TABLE}")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for statement in DROP:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("offers", "0008_offer_position_gist")]

    operations = [
        migrations.CreateModel(
            name="OfferSearch",
            fields=[
                (
                    "offer",
                    models.OneToOneField(
                        db_constraint=False,
                        on_delete=models.deletion.DO_NOTHING,
                        primary_key=True,
                        related_name="+",
                        serialize=False,
                        to="offers.offer",
                        verbose_name="offer",
                    ),
                ),
                ("deadline", models.DateField(null=True)),
                ("start_date", models.DateField()),
                ("places", models.PositiveSmallIntegerField()),
                ("places_taken", models.PositiveSmallIntegerField()),
                ("occupation_id", models.BigIntegerField()),
                ("certificate", models.CharField(max_length=4)),
                ("latitude", models.FloatField(null=True)),
                ("longitude", models.FloatField(null=True)),
                ("words", models.TextField(null=True)),
            ],
            options={"db_table": "offers_offer_search", "managed": False},
        ),
        migrations.RunPython(create, drop, atomic=True, elidable=False),
        migrations.RunPython(vacuum, migrations.RunPython.noop, atomic=False, elidable=False),
    ]
