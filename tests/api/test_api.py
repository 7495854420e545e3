from __future__ import annotations

from django.test import Client


def test_problem_details_when_not_signed_in(db):
    response = Client().get("/api/v1/me")
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["status"] == 401


def test_problem_details_for_bad_input(client_for):
    response = client_for("apprentice").get("/api/v1/contracts/not-a-number")
    assert response.status_code == 422
    body = response.json()
    assert response["Content-Type"] == "application/problem+json"
    assert body["errors"] and body["title"]


def test_problem_details_for_forbidden_and_missing(client_for):
    forbidden = client_for("pupil").get("/api/v1/contracts")
    assert forbidden.status_code == 403 and forbidden.json()["status"] == 403
    missing = client_for("apprentice").get("/api/v1/contracts/999999")
    assert missing.status_code == 404 and missing["Content-Type"] == "application/problem+json"


def test_me_lists_roles(client_for):
    body = client_for("trainer").get("/api/v1/me").json()
    assert body["roles"] == ["trainer"]
    assert body["memberships"][0]["organisation"] == "Saar Systemhaus GmbH (Demo)"


def test_openapi_schema_documents_routes(db):
    schema = Client().get("/api/v1/openapi.json").json()
    assert {"/api/v1/health", "/api/v1/me", "/api/v1/contracts", "/api/v1/contracts/{contract_id}"} <= set(
        schema["paths"]
    )
