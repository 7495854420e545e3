"""The keyed signature chain in detail: key rotation, legacy links, the anchor log file, the public check of
an export. The attacks themselves are in tests/security/test_tampering.py."""

from __future__ import annotations

import datetime
import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.utils import translation

from ausbildung.records import exporters, integrity, services
from ausbildung.records.models import RecordPeriod, RecordSignature

from .conftest import week_input

MONDAY = datetime.date(2025, 9, 1)
K1 = ("k1", "erster-schluessel-" + "1" * 32)
K2 = ("k2", "zweiter-schluessel-" + "2" * 32)


@pytest.fixture
def sign_week(demo, contract, django_capture_on_commit_callbacks):
    """Write, submit and sign week `n` through the services, with the on-commit anchor write."""

    def sign(n: int, text: str = "Netzwerk geplant und eingerichtet.") -> RecordPeriod:
        monday = MONDAY + datetime.timedelta(days=7 * n)
        with django_capture_on_commit_callbacks(execute=True):
            period = services.record_period_save(
                actor=demo["azubi"], contract=contract, start=monday, data=week_input(monday, text=text)
            )
            services.record_period_submit(actor=demo["azubi"], period=period)
            return services.record_period_sign(actor=demo["ausbilder"], period=period)

    return sign


def verify_lines() -> tuple[bool, list[str]]:
    out = StringIO()
    try:
        call_command("records", "verify", stdout=out)
    except CommandError:
        return False, out.getvalue().splitlines()
    return True, out.getvalue().splitlines()


def test_a_signature_is_keyed_and_keeps_its_signed_version(contract, sign_week):
    period = sign_week(0)
    link = RecordSignature.objects.get(period=period)
    assert link.key_id == integrity.current_key_id() and not link.is_legacy
    assert link.content == services.period_content(period)
    assert integrity.content_digest(link.content) == link.content_hash == period.content_hash
    assert link.code == link.chain_hash[:20]
    anchors = integrity.anchor_read()
    assert anchors.found and anchors.problems == []
    assert anchors.signs[contract.pk][1].head == link.chain_hash


def test_keys_rotate_old_links_still_verify_and_a_removed_key_is_named(settings, contract, sign_week):
    settings.RECORD_SIGNING_KEYS = [K1]
    sign_week(0)
    settings.RECORD_SIGNING_KEYS = [K2, K1]  # rotation: the new key first, the old one kept to verify
    sign_week(1)
    assert list(RecordSignature.objects.order_by("sequence").values_list("key_id", flat=True)) == ["k1", "k2"]
    assert verify_lines()[0]

    settings.RECORD_SIGNING_KEYS = [K2]  # the old key dropped too early
    passed, lines = verify_lines()
    assert not passed
    assert any("signature #1 was made with key k1, which is not configured" in line for line in lines), lines


def test_the_default_key_is_derived_from_the_secret_key_under_its_own_label():
    from ausbildung.settings import record_signing_keys

    [(key_id, secret)] = record_signing_keys("", "geheim")
    assert key_id.startswith("sk-") and secret != "geheim" and len(secret) == 64
    assert record_signing_keys("", "anderes")[0][0] != key_id  # another SECRET_KEY shows as another key id
    assert record_signing_keys(f"{K2[0]}:{K2[1]},{K1[0]}:{K1[1]}", "geheim") == [K2, K1]


@pytest.mark.parametrize("raw", ["ohne-doppelpunkt", "k1:kurz", f"k1:{K1[1]},k1:{K2[1]}", f"k 1:{K1[1]}"])
def test_bad_signing_keys_are_refused_in_one_sentence(raw):
    from django.core.exceptions import ImproperlyConfigured

    from ausbildung.settings import record_signing_keys

    with pytest.raises(ImproperlyConfigured, match="RECORD_SIGNING_KEYS"):
        record_signing_keys(raw, "geheim")


def test_legacy_links_are_reported_as_legacy_not_as_keyed(contract, sign_week, settings):
    """Links made before keyed signatures (plain SHA-256, key id "") are kept and named as legacy."""
    period = sign_week(0)
    link = RecordSignature.objects.get(period=period)
    legacy = integrity.link_hash(
        key_id="",
        previous="",
        sequence=1,
        period_id=period.pk,
        content=link.content_hash,
        signer_id=link.signer_id,
        at=link.signed_at,
    )
    RecordSignature.objects.filter(pk=link.pk).update(key_id="", chain_hash=legacy, content=None)
    settings.RECORD_ANCHOR_LOG.unlink()  # legacy links predate the anchor log

    report = integrity.check_contract(contract)
    assert report.problems == [] and report.legacy == 1
    passed, lines = verify_lines()
    assert passed
    assert any("1 legacy signature(s) made before keyed signatures" in line for line in lines)


def test_sealed_legacy_links_are_checked_against_the_anchor_log(contract, sign_week, settings):
    """`records seal-legacy` anchors the links made before the anchor log; cutting them back afterwards is
    noticed, as for keyed links."""
    periods = [sign_week(0), sign_week(1)]
    previous = ""
    for link in RecordSignature.objects.filter(contract=contract).order_by("sequence"):
        link.key_id, link.content, link.previous_hash = "", None, previous
        link.chain_hash = previous = integrity.link_hash(
            key_id="",
            previous=link.previous_hash,
            sequence=link.sequence,
            period_id=link.period_id,
            content=link.content_hash,
            signer_id=link.signer_id,
            at=link.signed_at,
        )
        link.save()
    settings.RECORD_ANCHOR_LOG.unlink()  # as before the upgrade: no anchor log
    assert verify_lines()[0]

    out = StringIO()
    call_command("records", "seal-legacy", stdout=out)
    assert "2 anchor line(s) written" in out.getvalue()
    assert verify_lines()[0]

    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM records_recordsignature WHERE period_id = %s", [periods[1].pk])
        cursor.execute("UPDATE records_recordperiod SET state = 'submitted' WHERE id = %s", [periods[1].pk])
    passed, lines = verify_lines()
    assert not passed
    assert any("signature #2 is in the anchor log but not in the database" in line for line in lines), lines


def test_a_legacy_link_after_a_keyed_one_is_a_downgrade(contract, sign_week):
    sign_week(0)
    second = sign_week(1)
    link = RecordSignature.objects.get(period=second)
    RecordSignature.objects.filter(pk=link.pk).update(
        key_id="",
        chain_hash=integrity.link_hash(
            key_id="",
            previous=link.previous_hash,
            sequence=2,
            period_id=second.pk,
            content=link.content_hash,
            signer_id=link.signer_id,
            at=link.signed_at,
        ),
    )
    with translation.override("en"):
        problems = integrity.verify_contract(contract)
    assert any("signature #2 is unkeyed although keyed signatures came before it" in p for p in problems)


def test_an_edited_or_removed_anchor_line_is_noticed(settings, sign_week):
    for n in range(3):
        sign_week(n)
    path = settings.RECORD_ANCHOR_LOG
    lines = path.read_bytes().splitlines(keepends=True)
    path.write_bytes(lines[0] + lines[2])  # the middle line removed
    with translation.override("en"):
        assert any("does not follow the line before it" in p for p in integrity.anchor_read().problems)

    path.write_bytes(lines[0] + lines[1].replace(b'"sequence":2', b'"sequence":7') + lines[2])
    with translation.override("en"):
        assert any("has been altered" in p for p in integrity.anchor_read().problems)


def test_a_failed_anchor_write_keeps_the_signature_and_verify_reports_the_gap(
    settings, tmp_path, sign_week, caplog
):
    sign_week(0)
    log = settings.RECORD_ANCHOR_LOG
    settings.RECORD_ANCHOR_LOG = tmp_path / "a-file" / "anchors.log"
    (tmp_path / "a-file").write_text("not a folder")  # the log cannot be written
    period = sign_week(1)
    assert period.state == RecordPeriod.State.SIGNED  # the signature stands
    assert "could not write the record anchor log" in caplog.text

    settings.RECORD_ANCHOR_LOG = log
    passed, lines = verify_lines()
    assert not passed
    assert any("signature #2 is missing from the anchor log" in line for line in lines), lines


def test_the_signed_version_is_shown_after_a_reopening(demo, client_for, contract, sign_week):
    period = sign_week(0, text="Die unterschriebene Fassung.")
    services.record_period_reopen(actor=demo["ausbilder"], period=period, reason="Stunden fehlen")
    period = services.record_period_save(
        actor=demo["azubi"], contract=contract, start=MONDAY, data=week_input(MONDAY, text="Die Korrektur.")
    )
    url = f"/nachweis/{contract.pk}/{MONDAY.isoformat()}/"
    page = client_for("apprentice").get(url).content.decode()
    assert "Unterschriebene Fassung vom" in page and "Die unterschriebene Fassung." in page
    assert "Die Korrektur." in page
    # The vocational school sees only the school section of the signed version, as of the period.
    school_page = client_for("vocational_school_teacher").get(url).content.decode()
    assert "Die unterschriebene Fassung." not in school_page


# --- the public check of an export ------------------------------------------------------------------------------


def check(client, **data):
    response = client.post("/nachweis/echtheit/", data)
    assert response.status_code == 200
    return response.content.decode()


def test_an_exported_code_checks_out_unchanged_and_names_no_one(client_for, contract, sign_week):
    sign_week(0)
    sign_week(1)
    code = exporters.export_dict(contract)["chain"]["verification_code"]
    anonymous = client_for(None)

    page = anonymous.get("/nachweis/echtheit/", {"code": code}).content.decode()  # from the QR code

    assert 'data-outcome="unchanged"' in page and "Unverändert seit der Unterschrift" in page
    for private in ("Jonas", "Becker", "Miriam", "Klein", contract.company.name, "Netzwerk"):
        assert private not in page
    assert 'data-outcome="unchanged"' in check(anonymous, code=code.upper().replace("-", " "))


def test_a_code_names_periods_corrected_since_the_export(demo, client_for, contract, sign_week):
    first = sign_week(0)
    sign_week(1)
    code = exporters.export_dict(contract)["chain"]["verification_code"]
    services.record_period_reopen(actor=demo["ausbilder"], period=first, reason="Stunden fehlen")

    page = check(client_for(None), code=code)

    assert 'data-outcome="changed"' in page
    assert "Zeitraum 01.09.2025–07.09.2025 (Unterschrift Nr. 1) wurde seit diesem Export" in page


def test_a_code_of_a_truncated_chain_says_tampered(client_for, contract, sign_week):
    sign_week(0)
    last = sign_week(1)
    code = exporters.export_dict(contract)["chain"]["verification_code"]
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM records_recordsignature WHERE period_id = %s", [last.pk])

    page = check(client_for(None), code=code)

    assert 'data-outcome="changed"' in page and "manipuliert" in page


def test_unknown_and_malformed_codes(client_for):
    anonymous = client_for(None)
    assert 'data-outcome="unknown"' in check(anonymous, code="0000-0000-0000-0000-0000")
    page = check(anonymous, code="kein-code")
    assert "Ein Prüfcode hat 20 Zeichen" in page and "data-outcome" not in page
    assert "Bitte den Prüfcode eingeben" in check(anonymous)


def upload(client, data) -> str:
    from django.core.files.uploadedfile import SimpleUploadedFile

    content = data if isinstance(data, bytes) else json.dumps(data).encode()
    response = client.post(
        "/nachweis/echtheit/", {"file": SimpleUploadedFile("buch.json", content, "application/json")}
    )
    assert response.status_code == 200
    return response.content.decode()


def test_an_exported_json_is_checked_period_by_period(client_for, contract, sign_week):
    sign_week(0)
    sign_week(1)
    data = exporters.export_dict(contract)
    anonymous = client_for(None)
    assert 'data-outcome="unchanged"' in upload(anonymous, data)

    data["periods"][1]["sections"]["company_work"] = "In der Datei geschönt."
    page = upload(anonymous, data)
    assert 'data-outcome="changed"' in page
    assert (
        "Zeitraum 08.09.2025–14.09.2025: Die Datei weicht von der als Nr. 2 unterschriebenen Fassung ab"
        in page
    )

    data["periods"][0]["signatures"][0]["chain_hash"] = "0" * 64
    assert "Unterschrift Nr. 1 der Datei weicht von der der Plattform ab" in upload(anonymous, data)


@pytest.mark.parametrize(
    "content", [b"\xff\xfe", b"[1, 2]", b'{"format": "ausbildung.record-book", "chain": 5}']
)
def test_a_file_that_is_no_export_gets_a_german_error_not_a_500(client_for, content):
    page = upload(client_for(None), content)
    assert "kein" in page and "data-outcome" not in page


def test_deploy_check_warns_without_an_own_signing_key(monkeypatch):
    from ausbildung.records.checks import signing_key_configured

    monkeypatch.delenv("RECORD_SIGNING_KEYS", raising=False)
    assert [w.id for w in signing_key_configured()] == ["records.W001"]
    monkeypatch.setenv("RECORD_SIGNING_KEYS", f"{K1[0]}:{K1[1]}")
    assert signing_key_configured() == []
