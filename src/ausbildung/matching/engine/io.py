"""Reading the three input files (CSV or Parquet) into an Instance, with one-line errors; writing results.

Rows in messages are data rows counted from 1 (the header of a CSV file is not counted).
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from . import join
from .instance import Instance, Int32Array, IntArray, make_instance, readonly

PIECE_ROWS = 1 << 20  # rows of a Parquet column decoded at a time by _Columns.pieces
ArrowColumn = TypeVar("ArrowColumn", pa.Array, pa.ChunkedArray)


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


class _Columns:
    """One input file, handed out column by column in the order asked, each checked as it is taken: the kind
    of a column is "id" (integers stay integers, anything else is read as text), "int" or "optional".

    A Parquet file is read one column at a time (take), or a column a million rows at a time (pieces), so that
    little of it is in memory next to what was made of the columns before (the national files hold 9 million
    rows, and memory touched for the first time costs page faults: up to ~0.4 s of system time per GB on the
    2-core VM). A CSV file is read at once."""

    def __init__(self, path: Path, kinds: dict[str, str]) -> None:
        self.path, self.kinds = path, kinds
        self.parquet: Any = None
        self.table: pa.Table | None = None
        suffix = path.suffix.lower()
        with self._reading():
            if suffix == ".parquet":
                import pyarrow.parquet as pq

                self.parquet = pq.ParquetFile(path)
                self.names = self.parquet.schema_arrow.names
                self.n_rows = self.parquet.metadata.num_rows
            elif suffix == ".csv":
                from pyarrow import csv

                header = path.open(encoding="utf-8").readline().strip().split(",")
                types = {n: pa.string() for n, kind in kinds.items() if kind == "id" and n in header}
                self.table = csv.read_csv(
                    path,
                    convert_options=csv.ConvertOptions(
                        column_types=types, strings_can_be_null=True, quoted_strings_can_be_null=False
                    ),
                )
                self.names = self.table.column_names
                self.n_rows = self.table.num_rows
            else:
                raise InputError(f"{path}: unknown file type {suffix!r} (use .csv or .parquet)")

    @contextmanager
    def _reading(self) -> Iterator[None]:
        try:
            yield
        except OSError as error:
            raise InputError(f"{self.path}: cannot read: {' '.join(str(error).split())}") from error
        except (pa.ArrowInvalid, UnicodeDecodeError) as error:
            raise InputError(f"{self.path}: {' '.join(str(error).split())}") from error

    def __enter__(self) -> _Columns:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self.parquet is not None:
            self.parquet.close()
        self.table = None

    def take(self, name: str) -> pa.ChunkedArray:
        """The checked column; the reader keeps no reference to it."""
        column = self.take_optional(name)
        if column is None:
            raise InputError(f"{self.path}: missing column {name!r}")
        return column

    def take_optional(self, name: str) -> pa.ChunkedArray | None:
        """The checked column, or None when it is missing (an error unless its kind is "optional")."""
        kind = self.kinds[name]
        if name not in self.names:
            if kind == "optional":
                return None
            raise InputError(f"{self.path}: missing column {name!r}")
        if self.table is not None:
            column = self.table.column(name)
            self.table = self.table.drop_columns([name])
        else:
            with self._reading():
                column = self.parquet.read(columns=[name]).column(0)
        column = self._converted(column, name)
        if column.null_count and kind != "optional":
            nulls = np.flatnonzero(column.is_null().to_numpy(zero_copy_only=False))
            raise InputError(f"{self.path}: row {nulls[0] + 1}: empty {name}")
        return column

    def pieces(self, name: str) -> Iterator[tuple[int, pa.Array]]:
        """The column (not optional) in pieces (first row, values), checked as take() checks it and with the
        same error: a value that is no integer is reported at once, an empty value after the last piece (the
        pieces from the first empty one on are not handed out)."""
        if name not in self.names:
            raise InputError(f"{self.path}: missing column {name!r}")
        chunks: Iterator[pa.Array]
        if self.table is not None:
            chunks = iter(self.table.column(name).chunks)
            self.table = self.table.drop_columns([name])
        else:
            batches = self.parquet.iter_batches(batch_size=PIECE_ROWS, columns=[name])
            chunks = (batch.column(0) for batch in batches)
        start, empty = 0, -1
        while True:
            with self._reading():
                piece = next(chunks, None)
            if piece is None:
                break
            piece = self._converted(piece, name)
            if empty < 0 and piece.null_count:
                empty = start + int(np.flatnonzero(piece.is_null().to_numpy(zero_copy_only=False))[0])
            if empty < 0:
                yield start, piece
            start += len(piece)
        if empty >= 0:
            raise InputError(f"{self.path}: row {empty + 1}: empty {name}")

    def _converted(self, column: ArrowColumn, name: str) -> ArrowColumn:
        kind = self.kinds[name]
        if kind == "id" or (kind == "optional" and name.endswith("_id")):
            if not pa.types.is_integer(column.type):  # integer ids stay integers (faster); others are text
                column = column.cast(pa.string())
        else:
            try:
                column = column.cast(pa.int64())
            except (pa.ArrowInvalid, pa.ArrowNotImplementedError) as error:
                raise InputError(f"{self.path}: column {name!r} must hold integers") from error
        return column


def read_table(path: Path, columns: dict[str, str]) -> pa.Table:
    """columns: name → "id" (read as string unless integer), "int" or "optional"; only these are returned."""
    with _Columns(path, columns) as reader:
        taken = {name: reader.take_optional(name) for name in columns}
    return pa.table({name: column for name, column in taken.items() if column is not None})


def _release() -> None:
    """Hand memory that Arrow freed back to the system, so that numpy can use it (a lower peak)."""
    pa.default_memory_pool().release_unused()


@dataclass(frozen=True)
class _Unknown:
    """The first row of a column whose id is not known (raised once the file's columns are all checked)."""

    row: int
    value: object

    def error(self, path: Path, what: str) -> InputError:
        return InputError(f"{path}: row {self.row + 1}: unknown {what} {self.value!r}")


class _Index:
    """Position of ids among known ids: a lookup table for dense integer ids, hashing otherwise. Positions
    come as int32 (fewer bytes to move; there are never 2**31 offers or applicants)."""

    def __init__(self, known: pa.Array, table: Int32Array | None = None, low: int = 0) -> None:
        self.known, self.table, self.low = known, table, low

    @classmethod
    def of(cls, known: pa.Array) -> _Index:
        if pa.types.is_integer(known.type) and len(known):
            ids = known.to_numpy().astype(np.int64)
            low, high = int(ids.min()), int(ids.max())
            if high - low <= 4 * len(ids) + 1024:  # dense integer ids: a lookup table beats hashing
                table = np.full(high - low + 1, -1, dtype=np.int32)
                table[ids - low] = np.arange(len(ids), dtype=np.int32)
                return cls(known, table, low)
        return cls(known)

    def codes(self, pieces: Iterable[tuple[int, pa.Array]], n: int) -> tuple[Int32Array, _Unknown | None]:
        """Position of every value of a column of n rows, given in pieces (-1 when absent), and the first
        absent value."""
        codes = np.empty(n, dtype=np.int32)
        unknown = None
        hashed = []
        for start, piece in pieces:
            if self.table is None or piece.type != self.known.type:
                hashed.append(piece)
                continue
            values = readonly(np.asarray(piece.to_numpy()).astype(np.int64, copy=False))
            first = join.lookup(values, readonly(self.table), self.low, codes[start : start + len(piece)])
            if unknown is None and first >= 0:
                unknown = _Unknown(start + first, piece[first].as_py())
        if hashed:  # the pieces of a column share their type: all of them take this way
            column = pa.chunked_array(hashed, type=hashed[0].type)
            known = self.known
            values = column
            if column.type != known.type:  # integer ids in one file, text in another: compare as text
                values, known = column.cast(pa.string()), known.cast(pa.string())
            found = pc.index_in(values, value_set=known)
            if found.null_count:
                row = int(np.flatnonzero(found.is_null().to_numpy(zero_copy_only=False))[0])
                unknown = _Unknown(row, column[row].as_py())
            codes[:] = np.asarray(found.fill_null(-1).to_numpy(zero_copy_only=False), dtype=np.int32)
        return codes, unknown


def _int_pieces(pieces: Iterable[tuple[int, pa.Array]], n: int) -> IntArray:
    out = np.empty(n, dtype=np.int64)
    for start, piece in pieces:
        out[start : start + len(piece)] = piece.to_numpy()
    return out


def _factorize(
    column: pa.ChunkedArray,
) -> tuple[Int32Array, pa.Array, _Index, IntArray | None]:
    """Number the ids of `column` in order of first appearance: (code per row, the distinct ids in that order,
    an index over them, and the CSR pointers when the rows of every id are consecutive, else None)."""
    if pa.types.is_integer(column.type) and len(column):
        values = _ints(column)
        low, high = int(values.min()), int(values.max())
        if high - low <= len(values) + 1024:  # dense integer ids: a table no larger than the column
            table = np.full(high - low + 1, -1, dtype=np.int32)
            codes = np.empty(len(values), dtype=np.int32)
            first, grouped = join.factorize_dense(readonly(values), low, table, codes)
            del values
            ids = column.take(pa.array(first)).combine_chunks()
            return codes, ids, _Index(ids, table, low), np.append(first, len(column)) if grouped else None
    encoded = pc.dictionary_encode(column.combine_chunks())
    ids = encoded.dictionary
    codes = np.asarray(encoded.indices.to_numpy(zero_copy_only=False), dtype=np.int32)
    ptr, grouped = join.grouped_ptr(readonly(codes), len(ids))
    return codes, ids, _Index.of(ids), ptr if grouped else None


def _ints(column: pa.ChunkedArray) -> IntArray:
    return np.asarray(column.to_numpy()).astype(np.int64, copy=False)


def _first_duplicate(path: Path, a: npt.NDArray[np.integer], b: npt.NDArray[np.integer], what: str) -> None:
    a, b = a.astype(np.int64), b.astype(np.int64)
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
    offer_index = _Index.of(unique_offers)
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
    del off

    # Each column is read (the applicant ids whole, the others in pieces) into numpy and dropped before the next
    # is read (lower peak memory). Every column is checked before an unknown id is reported, as when the whole
    # file was read first.
    progress("read applicant preferences")
    with _Columns(applicant_prefs, {"applicant_id": "id", "offer_id": "id", "rank": "int"}) as ap:
        column = ap.take("applicant_id")
        # applicants are numbered in order of first appearance in the file
        app_code, applicants, applicant_index, app_ptr = _factorize(column)
        n_app = len(applicants)
        del column
        app_offer, unknown = offer_index.codes(ap.pieces("offer_id"), ap.n_rows)
        app_rank = _int_pieces(ap.pieces("rank"), ap.n_rows)
    _release()
    if unknown is not None:
        raise unknown.error(applicant_prefs, "offer_id")
    identity = app_ptr is not None  # rows grouped by applicant: the pairs are the rows in file order
    order = np.zeros(0, dtype=np.int64)
    if app_ptr is None:
        app_ptr, order = join.group_rows(readonly(app_code), n_app)
    del app_code
    row, kind = join.first_bad_applicant_row(
        readonly(app_ptr), readonly(order), readonly(app_offer), readonly(app_rank), n_off, identity
    )
    if kind == 1:
        raise InputError(f"{applicant_prefs}: row {row + 1}: duplicate pair (applicant_id, offer_id)")
    if kind == 2:
        raise InputError(
            f"{applicant_prefs}: row {row + 1}: rank not greater than the applicant's previous rank"
        )
    # ranks strictly increase in file order per applicant, so the stable grouping is preference order
    pair_offer = app_offer if identity else app_offer[order]
    del app_offer, app_rank, order

    progress("read offer preferences")
    with _Columns(offer_prefs, {"offer_id": "id", "applicant_id": "id", "rank": "int"}) as op:
        op_offer, unknown_offer = offer_index.codes(op.pieces("offer_id"), op.n_rows)
        op_app, unknown_applicant = applicant_index.codes(op.pieces("applicant_id"), op.n_rows)
        op_rank = _int_pieces(op.pieces("rank"), op.n_rows)
    _release()
    if unknown_offer is not None:
        raise unknown_offer.error(offer_prefs, "offer_id")
    if unknown_applicant is not None:
        raise unknown_applicant.error(offer_prefs, "applicant_id")
    if len(op_rank) and op_rank.min() < 1:
        low = int(np.flatnonzero(op_rank < 1)[0])
        raise InputError(f"{offer_prefs}: row {low + 1}: rank {op_rank[low]} (ranks start at 1)")
    # (offer, rank) rows as int32 when the ranks fit (half the memory), else int64
    small = not len(op_rank) or op_rank.max() < 2**31
    packed = np.empty((len(op_rank), 2), dtype=np.int32 if small else np.int64)
    op_ptr = join.rows_by_applicant(readonly(op_app), readonly(op_offer), readonly(op_rank), n_app, packed)
    del op_rank
    offer_rank = np.empty(len(pair_offer), dtype=np.int64)
    if join.join_offer_ranks(
        readonly(app_ptr), readonly(pair_offer), op_ptr, readonly(packed), n_off, offer_rank
    ):
        _first_duplicate(offer_prefs, op_app, op_offer, "pair (offer_id, applicant_id)")
    del op_app, op_offer, packed
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
