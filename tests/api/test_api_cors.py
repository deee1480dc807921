"""CORS: sites allowed to embed may call the API from the browser; others may not."""

import pytest
from django.test import Client

from soundoff.embed.models import AllowedOrigin

ELSEWHERE = "https://elsewhere.example.com"


@pytest.fixture
def cors():
    return Client(enforce_csrf_checks=True)


def test_an_allowed_origin_gets_cors_headers_without_credentials(cors, post, embed_origin):
    response = cors.get("/api/v1/posts", headers={"Origin": embed_origin})
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == embed_origin
    assert "Access-Control-Allow-Credentials" not in response
    assert "Origin" in response["Vary"]


def test_an_origin_allowed_in_the_admin_gets_them_too(cors, post):
    AllowedOrigin.objects.create(origin="https://blog.example.net")
    response = cors.get("/api/v1/posts", headers={"Origin": "https://blog.example.net"})
    assert response["Access-Control-Allow-Origin"] == "https://blog.example.net"


def test_a_disallowed_origin_gets_none(cors, post, embed_origin):
    response = cors.get("/api/v1/posts", headers={"Origin": ELSEWHERE})
    assert "Access-Control-Allow-Origin" not in response
    assert "Access-Control-Allow-Credentials" not in response
    assert "Origin" in response["Vary"]


def test_same_origin_answers_vary_on_origin_too(cors, post):
    # So that a shared cache never serves them to an embedding site.
    assert "Origin" in cors.get("/api/v1/posts")["Vary"]


def test_an_allowed_preflight_is_204(cors, embed_origin):
    response = cors.options(
        "/api/v1/comments",
        headers={
            "Origin": embed_origin,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "authorization, content-type, idempotency-key",
        },
    )
    assert response.status_code == 204
    assert response["Access-Control-Allow-Origin"] == embed_origin
    allowed = {h.strip().lower() for h in response["Access-Control-Allow-Headers"].split(",")}
    assert {"authorization", "content-type", "idempotency-key"} <= allowed
    assert "PATCH" in response["Access-Control-Allow-Methods"]
    assert "Access-Control-Allow-Credentials" not in response


def test_a_disallowed_preflight_is_403(cors, embed_origin, error_of):
    response = cors.options(
        "/api/v1/comments",
        headers={"Origin": ELSEWHERE, "Access-Control-Request-Method": "POST"},
    )
    assert error_of(response, 403) == "origin_not_allowed"
    assert "Access-Control-Allow-Origin" not in response
    assert "Access-Control-Allow-Methods" not in response
