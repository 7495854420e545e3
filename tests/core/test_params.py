"""`core.params`: the one parser of integers, ids and dates taken from requests."""

from __future__ import annotations

import datetime

import pytest

from ausbildung.core.params import MAX_ID, parse_date, parse_id, parse_ids, parse_int


@pytest.mark.parametrize(
    "raw", ["²", "¹²", "١٢", "1e9", "0x10", "1.5", "", " ", "abc", "\x00", "😀", "9" * 25, "--1", None, 12]
)
def test_parse_int_refuses_what_is_not_ascii_digits(raw):
    assert parse_int(raw) is None


def test_parse_int_reads_ascii_digits_within_bounds():
    assert parse_int(" 42 ") == 42
    assert parse_int("-3") == -3
    assert parse_int("-3", minimum=0) is None
    assert parse_int("91", minimum=1, maximum=90) is None
    assert parse_int(str(MAX_ID)) == MAX_ID
    assert parse_int(str(MAX_ID + 1)) is None


def test_parse_id_and_ids():
    assert parse_id("0") is None
    assert parse_id("7") == 7
    assert parse_ids(["3", "1", "3"]) == [3, 1]
    assert parse_ids(["3", "²"]) is None
    assert parse_ids([]) == []


@pytest.mark.parametrize(
    "raw", ["2025-02-30", "2025-9-1", "٢٠٢٥-٠٩-٠١", "0000-01-01", "2025-09-01T00:00", "", None]
)
def test_parse_date_refuses_what_is_not_an_iso_date(raw):
    assert parse_date(raw) is None


def test_parse_date_reads_an_iso_date():
    assert parse_date("2025-09-01") == datetime.date(2025, 9, 1)
