"""`ausbildung match`: the command end to end, bad input rejected with one line and exit code 2."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from django.core.management import call_command

from ausbildung.matching.management.commands.match import Command

OFFERS = "offer_id,capacity,group_id,group_capacity\nA,1,,\nB,2,g,2\nC,1,g,2\n"
APPLICANT_PREFS = "applicant_id,offer_id,rank\n1,A,1\n1,B,2\n2,A,1\n3,B,1\n3,C,2\n4,C,1\n"
OFFER_PREFS = "offer_id,applicant_id,rank\nA,1,1\nA,2,1\nB,1,1\nB,3,2\nC,3,1\nC,4,2\n"


def write_inputs(
    folder: Path, offers: str = OFFERS, ap: str = APPLICANT_PREFS, op: str = OFFER_PREFS
) -> None:
    (folder / "offers.csv").write_text(offers)
    (folder / "ap.csv").write_text(ap)
    (folder / "op.csv").write_text(op)


def run_match(folder: Path, *extra: str, out: str = "out.csv") -> tuple[int, str, str]:
    stdout, stderr = io.StringIO(), io.StringIO()
    args = [
        "--applicant-prefs",
        str(folder / "ap.csv"),
        "--offer-prefs",
        str(folder / "op.csv"),
        "--offers",
        str(folder / "offers.csv"),
        "--out",
        str(folder / out),
        *extra,
    ]
    try:
        call_command(Command(), *args, stdout=stdout, stderr=stderr)
    except SystemExit as exit_:
        return int(exit_.code or 0), stdout.getvalue(), stderr.getvalue()
    return 0, stdout.getvalue(), stderr.getvalue()


def test_match_writes_assignment_and_report(tmp_path: Path) -> None:
    write_inputs(tmp_path)
    code, _, err = run_match(tmp_path, "--report", str(tmp_path / "report.json"))
    assert code == 0, err
    assert (tmp_path / "out.csv").read_text() == "applicant_id,offer_id\n1,B\n2,A\n3,B\n4,\n"
    report = json.loads((tmp_path / "report.json").read_text())
    assert report["applicants"] == {"total": 4, "matched": 3, "unmatched": 1}
    assert report["places"]["filled"] == 3 and report["places"]["unfilled"] == 1
    assert report["rank_distribution"] == {"1": 2, "2": 1}
    assert report["cutoffs"]["B"] == {"rank": 2, "applicant_id": "3"}
    # applicant 1 tied with 2 at offer A (rank 1) and lost the lottery; 4 lost out to 3 in company g
    assert report["why_not_higher"] == {
        "1": [["A", 1, "offer_full_tie_lost_in_lottery", 1, 1]],
        "4": [["C", 1, "company_group_full_with_applicants_ranked_higher", 2, None]],
    }
    assert report["verification"]["ok"] is True
    assert report["lottery"]["seed"] == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "ap.csv",
        "offers.csv",
        "op.csv",
        "out.csv",
        "report.json",
    ]


def test_parquet_in_and_out_and_integer_ids(tmp_path: Path) -> None:
    pq.write_table(pa.table({"offer_id": [10, 20], "capacity": [1, 1]}), tmp_path / "offers.parquet")
    pq.write_table(
        pa.table({"applicant_id": [1, 1, 2], "offer_id": [10, 20, 10], "rank": [1, 2, 1]}),
        tmp_path / "ap.parquet",
    )
    pq.write_table(
        pa.table({"offer_id": [10, 10, 20], "applicant_id": [1, 2, 1], "rank": [2, 1, 1]}),
        tmp_path / "op.parquet",
    )
    stdout = io.StringIO()
    call_command(
        Command(),
        "--applicant-prefs",
        str(tmp_path / "ap.parquet"),
        "--offer-prefs",
        str(tmp_path / "op.parquet"),
        "--offers",
        str(tmp_path / "offers.parquet"),
        "--out",
        str(tmp_path / "out.parquet"),
        "--mode",
        "offer",
        "--report",
        str(tmp_path / "report.json"),
        stdout=stdout,
    )
    result = pq.read_table(tmp_path / "out.parquet").to_pylist()
    assert result == [{"applicant_id": "1", "offer_id": "20"}, {"applicant_id": "2", "offer_id": "10"}]
    report = json.loads((tmp_path / "report.json").read_text())
    assert report["mode"] == "offer"
    assert report["why_not_higher"] == {"1": [["10", 1, "offer_full_with_applicants_ranked_higher", 2, 1]]}


def test_same_seed_same_result_multiple_tie_breaking(tmp_path: Path) -> None:
    write_inputs(tmp_path)
    assert run_match(tmp_path, "--seed", "7", "--multiple-tie-breaking")[0] == 0
    first = (tmp_path / "out.csv").read_text()
    assert run_match(tmp_path, "--seed", "7", "--multiple-tie-breaking")[0] == 0
    assert (tmp_path / "out.csv").read_text() == first


@pytest.mark.parametrize(
    ("file", "content", "expected"),
    [
        ("ap", "applicant_id,offer_id,rank\n1,A,1\n1,X,2\n", "ap.csv: row 2: unknown offer_id 'X'"),
        ("op", "offer_id,applicant_id,rank\nA,1,1\nA,9,2\n", "op.csv: row 2: unknown applicant_id '9'"),
        ("op", "offer_id,applicant_id,rank\nZ,1,1\n", "op.csv: row 1: unknown offer_id 'Z'"),
        ("ap", "applicant_id,offer_id,rank\n1,A,1\n2,A,1\n1,A,2\n", "ap.csv: row 3: duplicate pair"),
        ("op", "offer_id,applicant_id,rank\nA,1,1\nA,1,2\n", "op.csv: row 2: duplicate pair"),
        ("offers", "offer_id,capacity\nA,1\nA,2\n", "offers.csv: row 2: duplicate offer_id"),
        ("ap", "applicant_id,offer_id,rank\n1,A,2\n1,B,2\n", "ap.csv: row 2: rank not greater"),
        ("ap", "applicant_id,offer_id,rank\n1,A,3\n2,A,1\n1,B,1\n", "ap.csv: row 3: rank not greater"),
        ("offers", "offer_id,capacity\nA,1\nB,-1\nC,1\n", "offers.csv: row 2: negative capacity -1"),
        (
            "offers",
            "offer_id,capacity,group_id,group_capacity\nA,1,g,-2\nB,1,,\nC,1,,\n",
            "offers.csv: row 1: negative group_capacity -2",
        ),
        (
            "offers",
            "offer_id,capacity,group_id,group_capacity\nA,1,g,2\nB,1,g,3\nC,1,,\n",
            "offers.csv: row 2: group_capacity differs",
        ),
        ("offers", "offer_id,places\nA,1\n", "offers.csv: missing column 'capacity'"),
        ("ap", "applicant_id,rank\n1,1\n", "ap.csv: missing column 'offer_id'"),
        ("op", "offer_id,applicant_id\nA,1\n", "op.csv: missing column 'rank'"),
        ("ap", "applicant_id,offer_id,rank\n1,A,x\n", "ap.csv: column 'rank' must hold integers"),
        ("op", "offer_id,applicant_id,rank\nA,1,0\n", "op.csv: row 1: rank 0"),
        ("ap", "applicant_id,offer_id,rank\n1,A,1\n,B,1\n", "ap.csv: row 2: empty applicant_id"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(tmp_path: Path, file: str, content: str, expected: str) -> None:
    write_inputs(tmp_path)
    (tmp_path / f"{file}.csv").write_text(content)
    (tmp_path / "out.csv").write_text("previous result\n")
    code, _, err = run_match(tmp_path, "--report", str(tmp_path / "report.json"))
    assert code == 2
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("ausbildung: error: ") and expected in lines[0], lines[0]
    assert str(tmp_path) in lines[0]
    # nothing half-written: the old output stays, no report, no temporary files
    assert (tmp_path / "out.csv").read_text() == "previous result\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ap.csv", "offers.csv", "op.csv", "out.csv"]


def test_missing_file(tmp_path: Path) -> None:
    write_inputs(tmp_path)
    (tmp_path / "op.csv").unlink()
    code, _, err = run_match(tmp_path)
    assert code == 2 and "op.csv: cannot read" in err and len(err.strip().splitlines()) == 1
    assert not (tmp_path / "out.csv").exists()


# the hand example of test_improve: 0 and 1 hold each other's first choice after DA when 2 beats 1 in the lottery
TRADE_OFFERS = "offer_id,capacity\nX,1\nY,1\n"
TRADE_AP = "applicant_id,offer_id,rank\n0,Y,1\n0,X,2\n1,X,1\n1,Y,2\n2,X,1\n"
TRADE_OP = "offer_id,applicant_id,rank\nX,0,1\nX,1,2\nX,2,2\nY,1,1\nY,0,2\n"


def trading_seed(folder: Path) -> int:
    from ausbildung.matching.engine import solve
    from ausbildung.matching.engine.io import load

    loaded = load(
        applicant_prefs=folder / "ap.csv", offer_prefs=folder / "op.csv", offers=folder / "offers.csv"
    )
    return next(s for s in range(50) if solve(loaded.instance, seed=s).assignment.tolist() == [0, 1, -1])


@pytest.mark.parametrize("mode", ["applicant", "offer"])
def test_improve_trades_along_a_cycle_and_reports_it(tmp_path: Path, mode: str) -> None:
    write_inputs(tmp_path, offers=TRADE_OFFERS, ap=TRADE_AP, op=TRADE_OP)
    seed = str(trading_seed(tmp_path))
    code, _, err = run_match(tmp_path, "--seed", seed, "--mode", mode)
    assert code == 0, err
    assert (tmp_path / "out.csv").read_text() == "applicant_id,offer_id\n0,X\n1,Y\n2,\n"
    report_path = tmp_path / "report.json"
    code, out, err = run_match(
        tmp_path, "--seed", seed, "--mode", mode, "--improve", "--report", str(report_path)
    )
    assert code == 0, err
    assert "2 improved by 1 stable improvement cycle(s)" in out
    assert (tmp_path / "out.csv").read_text() == "applicant_id,offer_id\n0,Y\n1,X\n2,\n"
    report = json.loads(report_path.read_text())
    assert report["improvement"] == {
        "method": "stable improvement cycles (Erdil and Ergin 2008)",
        "cycles": 1,
        "rounds": 2,
        "applicants_improved": 2,
    }
    assert report["verification"]["ok"] is True
    assert report["rank_distribution"] == {"1": 2}
    # 2 had the better lottery number at X, but 1 (tied) got the seat in the trade
    assert report["why_not_higher"] == {
        "2": [["X", 1, "offer_full_tie_seat_traded_in_improvement_cycle", 2, 2]]
    }
    assert report["timings_seconds"]["improve"] <= report["timings_seconds"]["solve"]


def test_without_improve_the_report_says_so(tmp_path: Path) -> None:
    write_inputs(tmp_path)
    code, out, _ = run_match(tmp_path, "--report", str(tmp_path / "report.json"))
    assert code == 0 and "improved" not in out
    assert json.loads((tmp_path / "report.json").read_text())["improvement"] is None


def test_improve_with_multiple_tie_breaking_and_no_verify(tmp_path: Path) -> None:
    write_inputs(tmp_path)
    assert run_match(tmp_path, "--improve", "--multiple-tie-breaking", "--seed", "3")[0] == 0
    first = (tmp_path / "out.csv").read_text()
    assert run_match(tmp_path, "--improve", "--multiple-tie-breaking", "--seed", "3", "--no-verify")[0] == 0
    assert (tmp_path / "out.csv").read_text() == first
