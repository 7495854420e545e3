"""Tampering with signed training records by someone who holds the database.

Attack: the attacker can read and write the database directly (a leaked backup restored elsewhere, an
administrator, an injection) but has neither the signing key (RECORD_SIGNING_KEYS, in the environment) nor the
anchor log (RECORD_ANCHOR_LOG, a file outside the database). The signed Ausbildungsnachweis is the evidence for
admission to the final exam (BBiG § 43 Abs. 1 Nr. 2, HwO § 36 Abs. 1 Nr. 2), so a chamber must be able to rely
on `ausbildung records verify` to notice when it was changed after signing.

Defence (records.integrity): every link of a contract's signature chain is an HMAC-SHA256 under the server key;
the signed content is kept on its link, so reopening makes a new version instead of overwriting the signed one;
each signature and reopening appends the chain's head to the anchor log outside the database. `records verify`
recomputes the HMACs and compares the chain with the log.

Each test performs one attack with SQL against the database, exactly as the attacker would, then runs the
`records verify` command (non-zero exit, one line per problem). The attacks use nothing but the tables and
public hash functions, so the same tests run against the code before the defence, where all three passed
unnoticed.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from ausbildung.core.models import TrainingContract
from ausbildung.records import services
from ausbildung.records.models import RecordPeriod, RecordSignature
from tests.records.conftest import week_input

MONDAY = datetime.date(2025, 9, 1)


@pytest.fixture
def contract(demo) -> TrainingContract:
    return TrainingContract.objects.get(apprentice=demo["azubi"])


@pytest.fixture
def signed_weeks(demo, contract, django_capture_on_commit_callbacks) -> list[RecordPeriod]:
    """Three weeks written by the apprentice and signed by the trainer through the real services; the
    callbacks run after each commit as in production (the anchor log is written then)."""
    periods = []
    for week in range(3):
        monday = MONDAY + datetime.timedelta(days=7 * week)
        with django_capture_on_commit_callbacks(execute=True):
            period = services.record_period_save(
                actor=demo["azubi"],
                contract=contract,
                start=monday,
                data=week_input(monday, text=f"Woche {week}: Netzwerk geplant und dokumentiert."),
            )
            services.record_period_submit(actor=demo["azubi"], period=period)
            periods.append(services.record_period_sign(actor=demo["ausbilder"], period=period))
    return periods


def verify() -> tuple[bool, list[str]]:
    """Run `ausbildung records verify`: (passed, the lines it printed)."""
    out = StringIO()
    try:
        call_command("records", "verify", stdout=out)
    except CommandError:
        return False, out.getvalue().splitlines()
    return True, out.getvalue().splitlines()


# --- what the attacker does, with SQL and public hash functions only ------------------------------------------------


def sql(statement: str, params: list) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def canonical_content(period_id: int) -> dict:
    """The period's content as the platform hashes it, read back from the tables."""
    period = RecordPeriod.objects.select_related("contract").get(pk=period_id)
    return {
        "contract": period.contract_id,
        "apprentice": period.contract.apprentice_id,
        "start": period.start.isoformat(),
        "end": period.end.isoformat(),
        "form": period.form,
        "on_paper": period.on_paper,
        "company_work": period.company_work,
        "instruction": period.instruction,
        "school": period.school,
        "days": [
            [d.date.isoformat(), d.place, None if d.hours is None else f"{d.hours:.2f}", d.note]
            for d in period.days.order_by("date")
        ],
        "items": sorted(period.items.values_list("pk", flat=True)),
        "submitted_at": period.submitted_at.isoformat() if period.submitted_at else None,
    }


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def rewrite_and_rehash(contract: TrainingContract, period: RecordPeriod, text: str) -> None:
    """Change a signed period's text, then recompute its content hash and every later link of the chain with
    plain SHA-256, and update every copy of the signed text the database holds."""
    sql("UPDATE records_recordperiod SET company_work = %s WHERE id = %s", [text, period.pk])
    content = canonical_content(period.pk)
    digest = sha256(json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":")))
    sql("UPDATE records_recordperiod SET content_hash = %s WHERE id = %s", [digest, period.pk])
    with connection.cursor() as cursor:
        columns = {
            c.name for c in connection.introspection.get_table_description(cursor, "records_recordsignature")
        }
    if "content" in columns:
        sql(
            "UPDATE records_recordsignature SET content = %s WHERE period_id = %s",
            [json.dumps(content), period.pk],
        )
    sql("UPDATE records_recordsignature SET content_hash = %s WHERE period_id = %s", [digest, period.pk])
    previous = ""
    for link in RecordSignature.objects.filter(contract=contract).order_by("sequence"):
        material = f"{previous}|{link.sequence}|{link.period_id}|{link.content_hash}|{link.signer_id}|{link.signed_at.isoformat()}"
        chain_hash = sha256(material)
        sql(
            "UPDATE records_recordsignature SET previous_hash = %s, chain_hash = %s WHERE id = %s",
            [previous, chain_hash, link.pk],
        )
        previous = chain_hash


# --- the attacks ------------------------------------------------------------------------------------------------


def test_an_untouched_chain_verifies(signed_weeks):
    passed, lines = verify()
    assert passed, lines
    assert lines[-1] == "1 contract(s) checked: all signature chains intact."


def test_rewritten_text_with_recomputed_hashes_is_detected(contract, signed_weeks):
    rewrite_and_rehash(contract, signed_weeks[1], "Nachträglich geschönt: Projekt allein geleitet.")

    passed, lines = verify()

    assert not passed
    assert any("signature #2 has been altered" in line for line in lines), lines  # the HMAC needs the key


def test_rewritten_text_passed_off_as_a_legacy_signature_is_detected(contract, signed_weeks):
    """The attacker also blanks the key id, so the link looks like one made before keyed signatures."""
    rewrite_and_rehash(contract, signed_weeks[0], "Nachträglich geschönt.")
    sql("UPDATE records_recordsignature SET key_id = '' WHERE contract_id = %s", [contract.pk])

    passed, lines = verify()

    assert not passed
    assert any("signature #1 differs from the anchor log" in line for line in lines), lines


def test_signed_period_set_back_to_draft_is_detected(contract, signed_weeks):
    period = signed_weeks[2]
    sql(
        "UPDATE records_recordperiod SET state = 'draft', signed_at = NULL, signed_by_id = NULL, "
        "content_hash = '' WHERE id = %s",
        [period.pk],
    )

    passed, lines = verify()

    assert not passed
    assert any(
        "period 15.09.2025–21.09.2025 is no longer signed, but no reopening was recorded" in line
        for line in lines
    ), lines


def test_set_back_to_draft_with_a_forged_reopening_is_detected(demo, contract, signed_weeks):
    """The attacker also inserts the history row a real reopening writes; the anchor log has no reopening."""
    period = signed_weeks[2]
    sql("UPDATE records_recordperiod SET state = 'returned' WHERE id = %s", [period.pk])
    sql(
        "INSERT INTO records_recordevent (period_id, actor_id, action, comment, created_at) "
        "VALUES (%s, %s, 'reopened', 'Korrektur', %s)",
        [period.pk, demo["ausbilder"].pk, datetime.datetime.now(tz=datetime.UTC)],
    )

    passed, lines = verify()

    assert not passed
    assert any("but the anchor log has no reopening (signature #3)" in line for line in lines), lines


def test_last_signature_and_its_period_deleted_is_detected(contract, signed_weeks):
    period = signed_weeks[2]
    sql("DELETE FROM records_recordsignature WHERE period_id = %s", [period.pk])
    sql("DELETE FROM records_recordevent WHERE period_id = %s", [period.pk])
    sql("DELETE FROM records_recordday WHERE period_id = %s", [period.pk])
    sql("DELETE FROM records_recordperiod_items WHERE recordperiod_id = %s", [period.pk])
    sql("DELETE FROM records_recordperiod WHERE id = %s", [period.pk])

    passed, lines = verify()

    assert not passed
    assert any("signature #3 is in the anchor log but not in the database" in line for line in lines), lines


def test_every_problem_is_one_line_naming_the_contract(contract, signed_weeks):
    sql("UPDATE records_recordperiod SET company_work = 'geändert' WHERE id = %s", [signed_weeks[0].pk])
    sql("DELETE FROM records_recordsignature WHERE sequence = 3 AND contract_id = %s", [contract.pk])

    passed, lines = verify()

    problems = [line for line in lines if line.startswith(f"contract {contract.pk} ")]
    assert not passed and len(problems) >= 3, lines
    assert all("\n" not in line for line in problems)


def test_reopening_keeps_the_signed_text_readable(demo, client_for, contract, signed_weeks):
    """Reopening a signed period used to overwrite the signed text once the apprentice corrected it (only its
    hash stayed); now the correction is a new version and the signed one stays on the period's page."""
    period = signed_weeks[0]
    services.record_period_reopen(actor=demo["ausbilder"], period=period, reason="Stunden falsch")
    services.record_period_save(
        actor=demo["azubi"],
        contract=contract,
        start=MONDAY,
        data=week_input(MONDAY, text="Korrigierte Fassung."),
    )

    page = client_for("trainer").get(f"/nachweis/{contract.pk}/{MONDAY.isoformat()}/").content.decode()

    assert "Korrigierte Fassung." in page
    assert "Woche 0: Netzwerk geplant und dokumentiert." in page  # the version that was signed
