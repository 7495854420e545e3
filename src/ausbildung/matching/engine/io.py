"""Reading the three input files (CSV or Parquet) into an Instance, with one-line errors; writing results.

Rows in messages are data rows counted from 1 (the header of a CSV file is not counted).
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from . import join
from .instance import Instance, IntArray, make_instance


class InputError(Exception):
    """Bad input: the message is one line naming the file, the row and the problem."""


@dataclass(frozen=True)
class Loaded:
    instance: Instance
    applicant_ids: pa.Array  # id of applicant index i (first appearance in the applicant file)
    offer_ids: pa.Array  # id of offer index o (row order of the offers file)

    def applicant_names(self) -> list[str]:
        return [str(i) for i in self.applicant_ids.to_pylist()]

    def offer_names(self) -> list[str]:
        return [str(i) for i in self.offer_ids.to_pylist()]


def read_table(path: Path, columns: dict[str, str]) -> pa.Table:
    """columns: name → "id" (read as string) or "int"; only the columns asked for are returned."""
    suffix = path.suffix.lower()
    try:
        if suffix == ".parquet":
            import pyarrow.parquet as pq

            available = pq.read_schema(path).names
            table = pq.read_table(path, columns=[name for name in columns if name in available])
        elif suffix == ".csv":
            from pyarrow import csv

            header = path.open(encoding="utf-8").readline().strip().split(",")
            types = {n: pa.string() for n, kind in columns.items() if kind == "id" and n in header}
            table = csv.read_csv(
                path,
                convert_options=csv.ConvertOptions(
                    column_types=types, strings_can_be_null=True, quoted_strings_can_be_null=False
                ),
            )
        else:
            raise InputError(f"{path}: unknown file type {suffix!r} (use .csv or .parquet)")
    except OSError as error:
        raise InputError(f"{path}: cannot read: {' '.join(str(error).split())}") from error
    except (pa.ArrowInvalid, UnicodeDecodeError) as error:
        raise InputError(f"{path}: {' '.join(str(error).split())}") from error
    out = {}
    for name, kind in columns.items():
        if name not in table.column_names:
            if kind == "optional":
                continue
            raise InputError(f"{path}: missing column {name!r}")
        column = table.column(name)
        if kind == "id" or (kind == "optional" and name.endswith("_id")):
            if not pa.types.is_integer(column.type):  # integer ids stay integers (faster); others are text
                column = column.cast(pa.string())
        else:
            try:
                column = column.cast(pa.int64())
            except (pa.ArrowInvalid, pa.ArrowNotImplementedError) as error:
                raise InputError(f"{path}: column {name!r} must hold integers") from error
        nulls = np.flatnonzero(column.is_null().to_numpy(zero_copy_only=False))
        if len(nulls) and kind != "optional":
            raise InputError(f"{path}: row {nulls[0] + 1}: empty {name}")
        out[name] = column
    return pa.table(out)


def _codes(path: Path, column: pa.ChunkedArray, known: pa.Array, what: str) -> IntArray:
    index = index_of(column, known)
    missing = np.flatnonzero(index < 0)
    if len(missing):
        row = int(missing[0])
        raise InputError(f"{path}: row {row + 1}: unknown {what} {column[row].as_py()!r}")
    return index


def index_of(column: pa.ChunkedArray | pa.Array, known: pa.Array) -> IntArray:
    """Position of every value of `column` in `known` (-1 when absent)."""
    if column.type != known.type:  # integer ids in one file, text in another: compare as text
        column, known = column.cast(pa.string()), known.cast(pa.string())
    if pa.types.is_integer(known.type) and len(known):
        ids = known.to_numpy().astype(np.int64)
        low, high = int(ids.min()), int(ids.max())
        if high - low <= 4 * len(ids) + 1024:  # dense integer ids: a lookup table beats hashing
            table = np.full(high - low + 1, -1, dtype=np.int64)
            table[ids - low] = np.arange(len(ids), dtype=np.int64)
            values = np.asarray(column.to_numpy()).astype(np.int64, copy=False)
            return join.lookup(values, table, low)
    index = pc.index_in(column, value_set=known).fill_null(-1).to_numpy(zero_copy_only=False)
    return np.asarray(index, dtype=np.int64)


def _ints(column: pa.ChunkedArray) -> IntArray:
    return column.to_numpy().astype(np.int64, copy=False)


def _first_duplicate(path: Path, a: IntArray, b: IntArray, what: str) -> None:
    key = a * (int(b.max(initial=0)) + 1) + b
    order = np.argsort(key, kind="stable")
    dup = np.flatnonzero(key[order][1:] == key[order][:-1])
    if len(dup):
        row = int(order[dup + 1].min())
        raise InputError(f"{path}: row {row + 1}: duplicate {what}")


def load(
    *,
    applicant_prefs: Path,
    offer_prefs: Path,
    offers: Path,
    progress: Callable[[str], None] = lambda step: None,
) -> Loaded:
    progress("read offers")
    off = read_table(
        offers, {"offer_id": "id", "capacity": "int", "group_id": "optional", "group_capacity": "optional"}
    )
    offer_col = off.column("offer_id").combine_chunks()
    n_off = len(offer_col)
    unique_offers = pc.unique(offer_col)
    if len(unique_offers) != n_off:
        codes = pc.index_in(offer_col, value_set=unique_offers).to_numpy()
        _first_duplicate(offers, codes, np.zeros(n_off, dtype=np.int64), "offer_id")
    capacity = _ints(off.column("capacity"))
    negative = np.flatnonzero(capacity < 0)
    if len(negative):
        raise InputError(f"{offers}: row {negative[0] + 1}: negative capacity {capacity[negative[0]]}")
    group = np.full(n_off, -1, dtype=np.int64)
    group_capacity = np.zeros(0, dtype=np.int64)
    if "group_id" in off.column_names:
        if "group_capacity" not in off.column_names:
            raise InputError(f"{offers}: missing column 'group_capacity' (group_id is given)")
        gid = off.column("group_id").combine_chunks()
        gcap_col = off.column("group_capacity")
        has_group = ~gid.is_null().to_numpy(zero_copy_only=False)
        gcap_null = gcap_col.is_null().to_numpy(zero_copy_only=False)
        bad = np.flatnonzero(has_group & gcap_null)
        if len(bad):
            raise InputError(f"{offers}: row {bad[0] + 1}: group_id without group_capacity")
        gcap = np.where(gcap_null, 0, gcap_col.fill_null(0).to_numpy()).astype(np.int64)
        negative = np.flatnonzero(has_group & (gcap < 0))
        if len(negative):
            raise InputError(f"{offers}: row {negative[0] + 1}: negative group_capacity {gcap[negative[0]]}")
        groups = pc.unique(gid.filter(pa.array(has_group)))
        codes = pc.index_in(gid, value_set=groups).fill_null(-1).to_numpy().astype(np.int64)
        group = codes
        group_capacity = np.full(len(groups), -1, dtype=np.int64)
        rows = np.flatnonzero(has_group)
        group_capacity[codes[rows[::-1]]] = gcap[rows[::-1]]  # the first row of each group wins
        differ = rows[gcap[rows] != group_capacity[codes[rows]]]
        if len(differ):
            raise InputError(
                f"{offers}: row {differ[0] + 1}: group_capacity differs from the group's first row"
            )

    progress("read applicant preferences")
    ap = read_table(applicant_prefs, {"applicant_id": "id", "offer_id": "id", "rank": "int"})
    app_col = ap.column("applicant_id").combine_chunks()
    applicants = pc.unique(app_col)
    n_app = len(applicants)
    app_code = index_of(app_col, applicants)
    del app_col
    ap = ap.drop_columns(["applicant_id"])  # free each column once converted: lower peak memory
    app_offer = _codes(applicant_prefs, ap.column("offer_id"), unique_offers, "offer_id")
    ap = ap.drop_columns(["offer_id"])
    app_rank = _ints(ap.column("rank"))
    del ap
    if len(app_code) > 1 and bool((app_code[1:] >= app_code[:-1]).all()):  # rows grouped by applicant
        app_ptr = np.zeros(n_app + 1, dtype=np.int64)
        np.cumsum(np.bincount(app_code, minlength=n_app), out=app_ptr[1:])
        order = np.arange(len(app_code), dtype=np.int64)
    else:
        app_ptr, order = join.group_rows(app_code, n_app)
    row, kind = join.first_bad_applicant_row(app_ptr, order, app_offer, app_rank, n_off)
    if kind == 1:
        raise InputError(f"{applicant_prefs}: row {row + 1}: duplicate pair (applicant_id, offer_id)")
    if kind == 2:
        raise InputError(
            f"{applicant_prefs}: row {row + 1}: rank not greater than the applicant's previous rank"
        )
    # ranks strictly increase in file order per applicant, so the stable grouping is preference order
    pair_offer = app_offer[order]
    del app_code, app_offer, app_rank, order

    progress("read offer preferences")
    op = read_table(offer_prefs, {"offer_id": "id", "applicant_id": "id", "rank": "int"})
    op_offer = _codes(offer_prefs, op.column("offer_id"), unique_offers, "offer_id")
    op = op.drop_columns(["offer_id"])
    op_app = _codes(offer_prefs, op.column("applicant_id"), applicants, "applicant_id")
    op = op.drop_columns(["applicant_id"])
    op_rank = _ints(op.column("rank"))
    del op
    low = np.flatnonzero(op_rank < 1)
    if len(low):
        raise InputError(f"{offer_prefs}: row {low[0] + 1}: rank {op_rank[low[0]]} (ranks start at 1)")
    op_ptr, op_order = join.group_rows(op_app, n_app)
    offer_rank, duplicate = join.join_offer_ranks(
        app_ptr, pair_offer, op_ptr, op_order, op_offer, op_rank, n_off
    )
    if duplicate >= 0:
        raise InputError(f"{offer_prefs}: row {duplicate + 1}: duplicate pair (offer_id, applicant_id)")
    instance = make_instance(
        capacity=capacity,
        app_ptr=app_ptr,
        app_offer=pair_offer,
        offer_rank=offer_rank,
        group=group,
        group_capacity=group_capacity,
    )
    return Loaded(instance, applicants, unique_offers)


def atomic_paths(paths: list[Path]) -> list[Path]:
    """Temporary siblings for the given paths (rename them into place with commit())."""
    temps = []
    umask = os.umask(0)
    os.umask(umask)
    for path in paths:
        fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=path.suffix, dir=path.parent or ".")
        os.fchmod(fd, 0o666 & ~umask)  # mkstemp makes 0600; the result gets the usual permissions
        os.close(fd)
        temps.append(Path(name))
    return temps


def commit(temps: list[Path], paths: list[Path]) -> None:
    for temp, path in zip(temps, paths, strict=True):
        os.replace(temp, path)


def discard(temps: list[Path]) -> None:
    for temp in temps:
        temp.unlink(missing_ok=True)


def write_assignment(path: Path, target: Path, loaded: Loaded, assignment: IntArray) -> None:
    """applicant_id,offer_id for every applicant (empty offer_id when unmatched); format by `target`'s suffix."""
    offer_ids = loaded.offer_ids.cast(pa.string())
    applicant_ids = loaded.applicant_ids.cast(pa.string())
    matched = assignment >= 0
    offer_col = pc.take(offer_ids, pa.array(np.where(matched, assignment, 0)))
    if target.suffix.lower() == ".parquet":
        import pyarrow.parquet as pq

        offer_col = pc.if_else(pa.array(matched), offer_col, pa.scalar(None, pa.string()))
        table = pa.table({"applicant_id": applicant_ids, "offer_id": offer_col})
        pq.write_table(table, path)
    else:
        import csv

        offers = offer_col.to_pylist()
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow(["applicant_id", "offer_id"])
            writer.writerows(
                zip(
                    loaded.applicant_ids,
                    (o if m else "" for o, m in zip(offers, matched.tolist(), strict=True)),
                    strict=True,
                )
            )
