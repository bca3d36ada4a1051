"""The committed OpenAPI schema is what the code generates: API changes show in review."""

from __future__ import annotations

from tests.conftest import ROOT


def test_openapi_schema_is_current(db):
    from nengji.api.schema import schema_json

    committed = (ROOT / "src" / "nengji" / "api" / "openapi.json").read_text(encoding="utf-8")
    assert committed == schema_json(), (
        "regenerate: DJANGO_SETTINGS_MODULE=nengji.web.settings python -m nengji.api.schema "
        "> src/nengji/api/openapi.json"
    )


def test_schema_is_served(client):
    r = client.get("/api/openapi.json")
    assert r.status_code == 200 and "/api/auth/token" in r.json()["paths"]


def test_api_docs_use_no_cdn(client):
    page = client.get("/api/docs").content.decode()
    assert "swagger-ui-bundle.js" in page and "cdn" not in page
