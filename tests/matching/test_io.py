"""Loading the input files: every id encoding and row order gives the instance built by hand in plain Python.

The loader has fast paths (a lookup table for dense integer ids, hashing otherwise; rows grouped by applicant
or not; offer rows in applicant order or not; Parquet read column by column, in several row groups). Each of
them must give the same arrays as the plain definition below.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pcsv
import pyarrow.parquet as pq
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ausbildung.matching.engine import UNRANKED, io
from ausbildung.matching.engine.io import InputError, load


@st.composite
def markets(draw: st.DrawFn) -> dict:
    n_off = draw(st.integers(1, 6))
    n_app = draw(st.integers(1, 10))
    capacity = draw(st.lists(st.integers(0, 3), min_size=n_off, max_size=n_off))
    lists = [draw(st.permutations(range(n_off)))[: draw(st.integers(0, n_off))] for _ in range(n_app)]
    ranked = [(o, a) for a, listed in enumerate(lists) for o in listed if draw(st.booleans())]
    extra = draw(st.lists(st.tuples(st.integers(0, n_off - 1), st.integers(0, n_app - 1)), max_size=4))
    ranked += [
        pair for pair in extra if pair not in ranked
    ]  # offers ranking applicants who did not list them
    ranks = {pair: draw(st.integers(1, 3)) for pair in ranked}
    return {"capacity": capacity, "lists": lists, "ranks": ranks, "seed": draw(st.integers(0, 2**16))}


def id_of(kind: str, i: int) -> object:
    return {"text": f"id-{i}", "dense": i + 3, "sparse": i * 1_000_003 + 11}[kind]


def write(folder: Path, name: str, columns: dict[str, list], file_type: str, int32: bool) -> Path:
    table = pa.table(columns)
    if int32:
        table = pa.table(
            {
                n: c.cast(pa.int32()) if pa.types.is_integer(c.type) else c
                for n, c in zip(table.column_names, table.columns, strict=True)
            }
        )
    path = folder / f"{name}.{file_type}"
    if file_type == "parquet":
        pq.write_table(table, path, row_group_size=max(1, len(table) // 3))
    else:
        pcsv.write_csv(table, path)
    return path


@settings(max_examples=150, deadline=None)
@given(
    markets(),
    st.sampled_from(["text", "dense", "sparse"]),
    st.sampled_from(["text", "dense", "sparse"]),
    st.sampled_from(["csv", "parquet"]),
    st.booleans(),
    st.booleans(),
    st.booleans(),
    st.sampled_from([io.PIECE_ROWS, 2]),
)
def test_every_encoding_and_row_order_loads_the_same_instance(
    tmp_path_factory: pytest.TempPathFactory,
    market: dict,
    app_kind: str,
    offer_kind: str,
    file_type: str,
    shuffle_applicants: bool,
    shuffle_offer_rows: bool,
    int32: bool,
    piece_rows: int,
) -> None:
    folder = tmp_path_factory.mktemp("io")
    rng = np.random.default_rng(market["seed"])
    lists, ranks, capacity = market["lists"], market["ranks"], market["capacity"]
    if not any(lists):
        lists = [[0], *lists[1:]]
    rows = [(a, o, r + 1) for a, listed in enumerate(lists) for r, o in enumerate(listed)]
    if shuffle_applicants:  # an applicant's rows stay in preference order, but are interleaved with others'
        order = rng.permutation(len(rows))
        shuffled = [rows[i] for i in order]
        seen: dict[int, int] = {}
        rows = []
        for a, _, _ in shuffled:  # the k-th row of applicant a (in the new order) gets its k-th choice
            k = seen.get(a, 0)
            seen[a] = k + 1
            rows.append((a, lists[a][k], k + 1))
    present = {a for a, _, _ in rows}  # an applicant without rows is unknown to the loader
    ranks = {(o, a): r for (o, a), r in ranks.items() if a in present}
    op_rows = [(o, a, r) for (o, a), r in ranks.items()]
    if shuffle_offer_rows:
        op_rows = [op_rows[i] for i in rng.permutation(len(op_rows))]
    else:
        op_rows.sort()
    if not op_rows:
        op_rows = [(rows[0][1], rows[0][0], 1)]
        ranks = {(rows[0][1], rows[0][0]): 1}
    offers = write(
        folder,
        "offers",
        {"offer_id": [id_of(offer_kind, o) for o in range(len(capacity))], "capacity": capacity},
        file_type,
        int32,
    )
    ap = write(
        folder,
        "ap",
        {
            "applicant_id": [id_of(app_kind, a) for a, _, _ in rows],
            "offer_id": [id_of(offer_kind, o) for _, o, _ in rows],
            "rank": [r for _, _, r in rows],
        },
        file_type,
        int32,
    )
    op = write(
        folder,
        "op",
        {
            "offer_id": [id_of(offer_kind, o) for o, _, _ in op_rows],
            "applicant_id": [id_of(app_kind, a) for _, a, _ in op_rows],
            "rank": [r for _, _, r in op_rows],
        },
        file_type,
        int32,
    )

    default_piece_rows, io.PIECE_ROWS = io.PIECE_ROWS, piece_rows  # 2: Parquet columns in many pieces
    try:
        loaded = load(applicant_prefs=ap, offer_prefs=op, offers=offers)
    finally:
        io.PIECE_ROWS = default_piece_rows

    # by hand: applicants numbered in order of first appearance, each with its listed offers in rank order
    applicants = list(dict.fromkeys(a for a, _, _ in rows))
    ptr, offer_of_pair, rank_of_pair = [0], [], []
    for a in applicants:
        for o in lists[a]:
            offer_of_pair.append(o)
            rank_of_pair.append(ranks.get((o, a), UNRANKED))
        ptr.append(len(offer_of_pair))
    instance = loaded.instance
    assert instance.capacity.tolist() == capacity
    assert instance.app_ptr.tolist() == ptr
    assert instance.app_offer.tolist() == offer_of_pair
    assert instance.offer_rank.tolist() == rank_of_pair
    assert all(
        array.dtype == np.int64 for array in (instance.app_ptr, instance.app_offer, instance.offer_rank)
    )
    assert loaded.applicant_names() == [str(id_of(app_kind, a)) for a in applicants]
    assert loaded.offer_names() == [str(id_of(offer_kind, o)) for o in range(len(capacity))]


def test_ranks_beyond_int32_are_kept(tmp_path: Path) -> None:
    # the rank join moves (offer, rank) rows as int32 when the ranks fit; larger ranks take the int64 path
    pq.write_table(pa.table({"offer_id": [1, 2], "capacity": [1, 1]}), tmp_path / "offers.parquet")
    pq.write_table(
        pa.table({"applicant_id": [5, 5, 6], "offer_id": [1, 2, 2], "rank": [1, 2, 1]}),
        tmp_path / "ap.parquet",
    )
    pq.write_table(
        pa.table({"offer_id": [2, 1, 2], "applicant_id": [6, 5, 5], "rank": [2**40, 3, 2**33]}),
        tmp_path / "op.parquet",
    )
    loaded = load(
        applicant_prefs=tmp_path / "ap.parquet",
        offer_prefs=tmp_path / "op.parquet",
        offers=tmp_path / "offers.parquet",
    )
    assert loaded.instance.offer_rank.tolist() == [3, 2**33, 2**40]


@pytest.mark.parametrize(
    ("file", "column", "row", "value", "expected"),
    [
        ("op", "rank", 5, None, "op.parquet: row 5: empty rank"),
        ("op", "applicant_id", 6, 99, "op.parquet: row 6: unknown applicant_id 99"),
        ("ap", "offer_id", 4, 77, "ap.parquet: row 4: unknown offer_id 77"),
        ("ap", "rank", 6, "x", "ap.parquet: column 'rank' must hold integers"),
    ],
)
def test_problems_in_later_pieces_of_a_column_are_reported_as_before(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    file: str,
    column: str,
    row: int,
    value: object,
    expected: str,
) -> None:
    # Parquet columns are decoded a piece at a time; a problem in a later piece gives the same one-line error
    monkeypatch.setattr(io, "PIECE_ROWS", 2)
    pq.write_table(pa.table({"offer_id": [1, 2, 3], "capacity": [1, 1, 1]}), tmp_path / "offers.parquet")
    columns = {
        "ap": {
            "applicant_id": [1, 1, 2, 2, 3, 3],
            "offer_id": [1, 2, 2, 3, 1, 3],
            "rank": [1, 2, 1, 2, 1, 2],
        },
        "op": {
            "offer_id": [1, 2, 2, 3, 1, 3],
            "applicant_id": [1, 1, 2, 2, 3, 3],
            "rank": [1, 1, 2, 1, 2, 2],
        },
    }
    values = columns[file][column]
    values[row - 1] = value
    if isinstance(value, str):
        columns[file][column] = [str(v) for v in values]
    for name, data in columns.items():
        pq.write_table(pa.table(data), tmp_path / f"{name}.parquet", row_group_size=2)
    with pytest.raises(InputError, match=expected.replace("(", r"\(").replace(")", r"\)")):
        load(
            applicant_prefs=tmp_path / "ap.parquet",
            offer_prefs=tmp_path / "op.parquet",
            offers=tmp_path / "offers.parquet",
        )
