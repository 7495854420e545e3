"""Which chamber covers which occupation (BBiG § 71, HwO § 25) and which chambers are competent for a region."""

from __future__ import annotations

import pytest

from ausbildung.core.chambers import chamber_covers, competent_chambers
from ausbildung.core.demo import demo_load, ensure_demo_occupations
from ausbildung.core.models import Occupation, Organisation, Region, TrainingContract

ChamberKind = Organisation.ChamberKind
Law = Occupation.RecognisedUnder


def occupation(slug: str, law: str) -> Occupation:
    return Occupation.objects.create(slug=slug, name=slug.title(), recognised_under=law)


def chamber(name: str, kind: str, *district: Region, active: bool = True) -> Organisation:
    organisation = Organisation.objects.create(
        kind=Organisation.Kind.CHAMBER, name=name, chamber_kind=kind, is_active=active
    )
    organisation.district.set(district)
    return organisation


@pytest.fixture
def land(db) -> dict[str, Region]:
    """A made-up Land "98" with two Kreise and a neighbouring Land "97" with one (codes unused by the demo)."""
    land = Region.objects.create(code="98", name="Testland", level=Region.Level.LAND)
    other = Region.objects.create(code="97", name="Nachbarland", level=Region.Level.LAND)
    return {
        "land": land,
        "nord": Region.objects.create(code="98001", name="Nordkreis", level=Region.Level.KREIS, parent=land),
        "sued": Region.objects.create(code="98002", name="Südkreis", level=Region.Level.KREIS, parent=land),
        "other_land": other,
        "other": Region.objects.create(
            code="97001", name="Fernkreis", level=Region.Level.KREIS, parent=other
        ),
    }


@pytest.fixture
def chambers(land) -> dict[str, Organisation]:
    """Like the demo: one IHK and one LWK for the whole Land, one HWK per Kreis; plus noise."""
    guidance = Organisation.objects.create(kind=Organisation.Kind.GUIDANCE_AGENCY, name="Agentur (Test)")
    guidance.district.set([land["land"]])
    return {
        "ihk": chamber("IHK Testland", ChamberKind.IHK, land["land"]),
        "lwk": chamber("Landwirtschaftskammer Testland", ChamberKind.LWK, land["land"]),
        "hwk_nord": chamber("HWK Nord", ChamberKind.HWK, land["nord"]),
        "hwk_sued": chamber("HWK Süd", ChamberKind.HWK, land["sued"]),
        "closed": chamber("IHK alt (aufgelöst)", ChamberKind.IHK, land["land"], active=False),
        "ihk_far": chamber("IHK Nachbarland", ChamberKind.IHK, land["other"]),
    }


# -- chamber_covers ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "law", "covered"),
    [
        # IHK: BBiG § 71 Abs. 2, occupations recognised under BBiG § 4.
        (ChamberKind.IHK, Law.BBIG, True),
        (ChamberKind.IHK, Law.BBIG_AND_HWO, True),
        (ChamberKind.IHK, Law.HWO, False),
        # HWK: BBiG § 71 Abs. 1 (HwO occupations) and Abs. 7 (any training in a craft business).
        (ChamberKind.HWK, Law.HWO, True),
        (ChamberKind.HWK, Law.BBIG_AND_HWO, True),
        (ChamberKind.HWK, Law.BBIG, True),
        # Other bodies: BBiG § 71 Abs. 3–6, 8 — BBiG occupations (the sector is not in the regulation).
        (ChamberKind.LWK, Law.BBIG, True),
        (ChamberKind.LWK, Law.HWO, False),
        (ChamberKind.FREE_PROFESSIONS, Law.BBIG, True),
        (ChamberKind.FREE_PROFESSIONS, Law.HWO, False),
        (ChamberKind.PUBLIC_SERVICE, Law.BBIG_AND_HWO, True),
        (ChamberKind.OTHER, Law.HWO, False),
        # Unknown law: never rejected.
        (ChamberKind.IHK, Law.UNKNOWN, True),
        (ChamberKind.LWK, Law.UNKNOWN, True),
        (ChamberKind.HWK, Law.UNKNOWN, True),
    ],
)
def test_chamber_covers(kind, law, covered):
    body = Organisation(kind=Organisation.Kind.CHAMBER, name="Kammer", chamber_kind=kind)
    assert chamber_covers(body, Occupation(slug="x", name="X", recognised_under=law)) is covered


# -- competent_chambers ------------------------------------------------------------------------------------------


def test_hwo_occupation_gets_the_hwk_of_its_kreis_only(land, chambers):
    tischler = occupation("tischler-test", Law.HWO)
    assert competent_chambers(occupation=tischler, region=land["nord"]) == [chambers["hwk_nord"]]
    assert competent_chambers(occupation=tischler, region=land["sued"]) == [chambers["hwk_sued"]]


def test_bbig_occupation_puts_the_ihk_first_and_the_hwk_last(land, chambers):
    informatiker = occupation("informatiker-test", Law.BBIG)
    assert competent_chambers(occupation=informatiker, region=land["nord"]) == [
        chambers["ihk"],
        chambers["lwk"],
        chambers["hwk_nord"],
    ]


def test_occupation_under_both_laws_puts_the_hwk_first(land, chambers):
    kfz = occupation("kfz-test", Law.BBIG_AND_HWO)
    assert competent_chambers(occupation=kfz, region=land["sued"]) == [
        chambers["hwk_sued"],
        chambers["ihk"],
        chambers["lwk"],
    ]


def test_unknown_law_lists_every_chamber_of_the_region(land, chambers):
    schiff = occupation("schiff-test", Law.UNKNOWN)
    assert competent_chambers(occupation=schiff, region=land["nord"]) == [
        chambers["ihk"],
        chambers["hwk_nord"],
        chambers["lwk"],
    ]


def test_region_outside_the_district(land, chambers):
    tischler = occupation("tischler-test", Law.HWO)
    informatiker = occupation("informatiker-test", Law.BBIG)
    # Nachbarland has an IHK but no HWK: nothing for a craft, only its own IHK for a BBiG occupation.
    assert competent_chambers(occupation=tischler, region=land["other"]) == []
    assert competent_chambers(occupation=informatiker, region=land["other"]) == [chambers["ihk_far"]]
    assert chambers["ihk"] not in competent_chambers(occupation=informatiker, region=land["other_land"])


def test_a_land_matches_chambers_for_the_whole_land_only(land, chambers):
    informatiker = occupation("informatiker-test", Law.BBIG)
    assert competent_chambers(occupation=informatiker, region=land["land"]) == [
        chambers["ihk"],
        chambers["lwk"],
    ]


def test_no_region_no_chambers(chambers):
    assert competent_chambers(occupation=occupation("x-test", Law.BBIG), region=None) == []


def test_chamber_naming_the_kreis_comes_before_the_land_wide_one(land, chambers):
    local = chamber("IHK Nordkreis", ChamberKind.IHK, land["nord"])
    informatiker = occupation("informatiker-test", Law.BBIG)
    found = competent_chambers(occupation=informatiker, region=land["nord"])
    assert found[:2] == [local, chambers["ihk"]]
    # A chamber listing both the Kreis and its Land appears once.
    local.district.add(land["land"])
    assert competent_chambers(occupation=informatiker, region=land["nord"]).count(local) == 1


def test_inactive_chambers_and_other_organisations_are_left_out(land, chambers):
    found = competent_chambers(occupation=occupation("x-test", Law.UNKNOWN), region=land["nord"])
    assert chambers["closed"] not in found
    assert all(o.kind == Organisation.Kind.CHAMBER for o in found)


# -- the demo ----------------------------------------------------------------------------------------------------


def test_demo_occupations_know_their_law_and_find_their_chamber(demo):
    it, office, carpenter = (
        Occupation.objects.get(slug=slug) for slug in ("fiausbv", "bueromkfausbv", "tischlausbv")
    )
    assert (it.recognised_under, office.recognised_under, carpenter.recognised_under) == (
        "bbig",
        "bbig",
        "hwo",
    )
    ihk = Organisation.objects.get(name="Demo-Industrie- und Handelskammer Saar")
    hwk = Organisation.objects.get(name="Demo-Handwerkskammer Saar")
    st_wendel = Region.objects.get(code="10046")
    assert competent_chambers(occupation=carpenter, region=st_wendel) == [hwk]
    assert competent_chambers(occupation=it, region=st_wendel) == [ihk, hwk]
    assert not chamber_covers(ihk, carpenter)
    # The demo contracts are with a chamber that covers their occupation.
    contracts = TrainingContract.objects.filter(occupation__in=[it, carpenter]).select_related("chamber")
    assert contracts.exists()
    for contract in contracts:
        assert chamber_covers(contract.chamber, contract.occupation)


def test_demo_fills_the_law_of_occupations_imported_before_the_field_existed(demo):
    Occupation.objects.filter(slug__in=["fiausbv", "tischlausbv"]).update(recognised_under="")
    ensure_demo_occupations()
    assert Occupation.objects.get(slug="fiausbv").recognised_under == "bbig"
    assert Occupation.objects.get(slug="tischlausbv").recognised_under == "hwo"
    demo_load(with_admin=True)  # and a further run changes nothing
    assert Occupation.objects.get(slug="tischlausbv").recognised_under == "hwo"
