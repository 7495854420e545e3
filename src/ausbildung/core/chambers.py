"""Which competent body (zuständige Stelle, BBiG §§ 71–75) can be competent for which training occupation.

The only fact we have about an occupation is the law its training regulation recognises it under
(`Occupation.recognised_under`, read by the importer): BBiG § 4, HwO § 25, or both. The rules:

- HWK: competent for the occupations of the Handwerksordnung (BBiG § 71 Abs. 1; it regulates and supervises
  that training, HwO §§ 41, 41a, 91 Abs. 1 Nr. 4) and, "abweichend von den Absätzen 2 bis 6", for any training
  carried out in a craft business (zulassungspflichtiges, zulassungsfreies Handwerk, handwerksähnliches
  Gewerbe; BBiG § 71 Abs. 7), so also for BBiG occupations such as Kaufmann für Büromanagement in a joinery.
  A company whose chamber is the HWK is such a business, so the HWK covers every occupation.
- IHK: competent for non-craft trades (BBiG § 71 Abs. 2), i.e. for occupations recognised under BBiG § 4. An
  occupation recognised under HwO § 25 only exists "für Gewerbe der Anlage A und der Anlage B" (HwO § 25
  Abs. 1) and is trained in craft businesses, whose competent body is the HWK (BBiG § 71 Abs. 1, 7).
- Chambers of agriculture, of the liberal professions, public-service bodies and other bodies (BBiG § 71
  Abs. 3–6, § 72, § 73, Abs. 8: the Land decides where no chamber exists) are treated like the IHK. Limitation:
  BBiG § 71 assigns them by sector (agriculture, Rechtspflege, Steuerberatung, Gesundheitsdienst, public
  service), which the training regulation does not state; so we cannot tell that e.g. a Landwirt is not an
  occupation of the Ärztekammer and accept every BBiG occupation for every such body.
- An occupation whose regulation names neither law (`recognised_under == ""`, e.g. the SeeBAV under the
  Seearbeitsgesetz) is covered by every chamber: we cannot tell, so we do not reject.
"""

from __future__ import annotations

from .models import Occupation, Organisation, Region

ChamberKind = Organisation.ChamberKind
Law = Occupation.RecognisedUnder


def chamber_covers(chamber: Organisation, occupation: Occupation) -> bool:
    """Whether ``chamber`` can be the competent body for a training contract in ``occupation``."""
    law = occupation.recognised_under
    if law == Law.UNKNOWN:
        return True  # the regulation does not say (see module docstring): never reject
    if chamber.chamber_kind == ChamberKind.HWK:
        # BBiG § 71 Abs. 1 (occupations of the HwO, HwO § 25) and Abs. 7 (any training in a craft business,
        # BBiG occupations included).
        return True
    # IHK: BBiG § 71 Abs. 2 (non-craft trades); LWK, liberal professions, public service, other bodies:
    # BBiG § 71 Abs. 3–6, 8, §§ 72, 73. All of them only for occupations recognised under BBiG § 4; an
    # HwO-only occupation (HwO § 25 Abs. 1, crafts of Anlage A/B) belongs to the HWK.
    return law in (Law.BBIG, Law.BBIG_AND_HWO)


# Order of the chamber kinds in `competent_chambers`, per law the occupation is recognised under.
_ORDER: dict[str, list[str]] = {
    # HwO § 25 only: the HWK is the only competent body (BBiG § 71 Abs. 1); the others are filtered out anyway.
    Law.HWO: [ChamberKind.HWK],
    # Both laws: the regulation recognises the occupation for a craft of Anlage A (e.g. Kfz-Mechatroniker for
    # Gewerbe Nr. 20, Kraftfahrzeugtechniker), and it is mostly trained in craft businesses, so the HWK comes
    # first, then the IHK (BBiG § 71 Abs. 2) for industrial companies, then the other bodies.
    Law.BBIG_AND_HWO: [
        ChamberKind.HWK,
        ChamberKind.IHK,
        ChamberKind.LWK,
        ChamberKind.FREE_PROFESSIONS,
        ChamberKind.PUBLIC_SERVICE,
        ChamberKind.OTHER,
    ],
    # BBiG § 4 only: the IHK (BBiG § 71 Abs. 2) as the usual body, the sector bodies of Abs. 3–6, and the HWK
    # last: it is competent only when the company is a craft business (BBiG § 71 Abs. 7).
    Law.BBIG: [
        ChamberKind.IHK,
        ChamberKind.LWK,
        ChamberKind.FREE_PROFESSIONS,
        ChamberKind.PUBLIC_SERVICE,
        ChamberKind.OTHER,
        ChamberKind.HWK,
    ],
    # Not stated: every chamber, the two general ones first.
    Law.UNKNOWN: [
        ChamberKind.IHK,
        ChamberKind.HWK,
        ChamberKind.LWK,
        ChamberKind.FREE_PROFESSIONS,
        ChamberKind.PUBLIC_SERVICE,
        ChamberKind.OTHER,
    ],
}


def competent_chambers(*, occupation: Occupation, region: Region | None) -> list[Organisation]:
    """Active chambers for ``region`` that cover ``occupation``, the most likely competent body first.

    A chamber is for the region when its ``district`` contains the region itself (a Kreis, or a Land) or the
    Land the Kreis belongs to. Order: by chamber kind as in ``_ORDER`` (HwO occupations: the HWK; BBiG
    occupations: the IHK first, the HWK last; both: the HWK, then the IHK), then chambers whose district names
    the Kreis itself before those covering the whole Land, then by name. ``region=None`` gives ``[]``.
    """
    if region is None:
        return []
    regions = [region.pk] + ([region.parent_id] if region.parent_id else [])
    chambers = (
        Organisation.objects.filter(kind=Organisation.Kind.CHAMBER, is_active=True, district__in=regions)
        .distinct()
        .prefetch_related("district")
    )
    order = _ORDER.get(occupation.recognised_under, _ORDER[Law.UNKNOWN])

    def key(chamber: Organisation) -> tuple[int, int, str]:
        kind = order.index(chamber.chamber_kind) if chamber.chamber_kind in order else len(order)
        names_region = any(r.pk == region.pk for r in chamber.district.all())
        return kind, 0 if names_region else 1, chamber.name

    return sorted((c for c in chambers if chamber_covers(c, occupation)), key=key)
