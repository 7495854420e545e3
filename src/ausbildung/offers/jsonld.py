"""schema.org `JobPosting` for a public offer, so that search engines can list it.

Fields follow https://schema.org/JobPosting and the search engines' guidance for job postings:
title, description, datePosted, validThrough, employmentType, hiringOrganization, jobLocation, baseSalary
(the first year's monthly pay), plus educationRequirements and the occupation.
"""

from __future__ import annotations

import datetime
import json
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import strip_tags

from .models import Certificate, Offer

# Inside <script>, the HTML tokenizer ends the element at "</script" and enters its "escaped" states at "<!--"
# (WHATWG HTML § 13.2.5.4 ff.): an offer text "<!--<script>" would make the parser swallow the rest of the page.
# JSON allows every character as a \uXXXX escape, so "<", ">" and "&" never appear literally (as Django's
# json_script does for application/json blocks).
SCRIPT_ESCAPES = {ord("<"): "\\u003c", ord(">"): "\\u003e", ord("&"): "\\u0026"}


def script_json(data: dict[str, Any]) -> str:
    """`data` as JSON that is safe as the text of a <script type="application/ld+json"> element."""
    return json.dumps(data, ensure_ascii=False).translate(SCRIPT_ESCAPES)


# schema.org EducationalOccupationalCredential categories for the expected certificate.
CREDENTIAL_CATEGORY = {
    Certificate.NONE: "",
    Certificate.ESA: "high school",
    Certificate.MSA: "high school",
    Certificate.FHR: "high school",
    Certificate.AHR: "high school",
}


def job_posting(offer: Offer, request: HttpRequest) -> dict[str, Any]:
    description = (
        "\n\n".join(part for part in (offer.description, offer.requirements) if part) or offer.display_title
    )
    posted = (
        (offer.published_at or offer.created_at).date() if (offer.published_at or offer.created_at) else None
    )
    valid_through = offer.deadline or offer.start_date
    data: dict[str, Any] = {
        "@context": "https://schema.org/",
        "@type": "JobPosting",
        "title": offer.display_title,
        "description": strip_tags(description),
        "datePosted": posted.isoformat() if posted else None,
        "validThrough": datetime.datetime.combine(valid_through, datetime.time(23, 59)).isoformat(),
        "employmentType": ["FULL_TIME", "OTHER"],
        "hiringOrganization": {
            "@type": "Organization",
            "name": offer.company.name,
            **({"sameAs": offer.company.website} if offer.company.website else {}),
        },
        "jobLocation": {
            "@type": "Place",
            "address": {
                "@type": "PostalAddress",
                "streetAddress": offer.site.street,
                "postalCode": offer.postcode,
                "addressLocality": offer.city,
                "addressCountry": "DE",
            },
            **(
                {"geo": {"@type": "GeoCoordinates", "latitude": offer.latitude, "longitude": offer.longitude}}
                if offer.latitude is not None and offer.longitude is not None
                else {}
            ),
        },
        "baseSalary": {
            "@type": "MonetaryAmount",
            "currency": "EUR",
            "value": {"@type": "QuantitativeValue", "value": float(offer.pay_year1), "unitText": "MONTH"},
        }
        if offer.pay_year1 is not None
        else None,
        "jobStartDate": offer.start_date.isoformat(),
        "totalJobOpenings": offer.places,
        "occupationalCategory": offer.occupation.name,
        "url": request.build_absolute_uri(reverse("offers:detail", kwargs={"offer_id": offer.pk})),
        "directApply": offer.accepts_applications,
    }
    if offer.certificate and offer.certificate != Certificate.NONE:
        data["educationRequirements"] = {
            "@type": "EducationalOccupationalCredential",
            "credentialCategory": CREDENTIAL_CATEGORY[Certificate(offer.certificate)],
            "name": str(Certificate(offer.certificate).label),
        }
    return {key: value for key, value in data.items() if value is not None}
