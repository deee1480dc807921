"""The API answers in the reader's language: errors readers are shown,
the count text and comment times; and its cached pages are kept per
language, so a Spanish widget never gets an English page or 304."""

import json
from datetime import UTC, datetime

from soundoff.discussion.models import DiscussionMode, Thread

SPANISH = {"Accept-Language": "es-MX,es;q=0.9"}
ENGLISH = {"Accept-Language": "en-GB,en;q=0.8"}


def test_an_error_a_reader_sees_is_in_their_language(client, alice, thread, bearer, error_of):
    Thread.objects.filter(pk=thread.pk).update(mode=DiscussionMode.CLOSED)
    payload = json.dumps({"thread": thread.pk, "body": "¿Sigue abierto?"})
    response = client.post(
        "/api/v1/comments",
        payload,
        content_type="application/json",
        headers={**bearer(alice), **SPANISH},
    )
    error_of(response, 422)
    assert (
        response.json()["detail"] == "Este debate está cerrado a nuevos comentarios y ediciones."
    )


def test_errors_answered_before_any_view_are_in_the_reader_language(client, db, error_of):
    missing = client.get("/api/v1/no-such-thing", headers=SPANISH)
    error_of(missing, 404)
    assert missing.json()["detail"] == "Aquí no hay nada."
    nul = client.get("/api/v1/counts?url=%00", headers=SPANISH)
    error_of(nul, 422)
    assert nul.json()["detail"] == "La dirección contiene un carácter NUL; quítalo."


def test_counts_are_written_in_the_reader_language(client, post, alice, say):
    say(post.thread, alice)
    say(post.thread, alice)
    spanish = client.get("/api/v1/counts", {"post": ["water-main", "nope"]}, headers=SPANISH)
    assert [c["count_text"] for c in spanish.json()["counts"]] == [
        "2 respuestas",
        "Sin respuestas",
    ]
    english = client.get("/api/v1/counts", {"post": ["water-main"]}, headers=ENGLISH)
    assert english.json()["counts"][0]["count_text"] == "2 Responses"


def test_cached_comment_pages_are_kept_per_language(client, thread, alice, say):
    say(thread, alice, "Una opinión.", created_at=datetime(2011, 7, 13, 21, 58, tzinfo=UTC))
    url = f"/api/v1/threads/{thread.pk}/comments"
    english = client.get(url, headers=ENGLISH)
    spanish = client.get(url, headers=SPANISH)
    assert english.json()["items"][0]["created_line"] == "July 13th, 2011 05:58 PM ET"
    assert spanish.json()["items"][0]["created_line"] == "13 de julio de 2011 17:58 ET"
    assert "Accept-Language" in spanish["Vary"]
    assert english["ETag"] != spanish["ETag"]
    # The English ETag doesn't revalidate the Spanish page.
    again = client.get(url, headers={**SPANISH, "If-None-Match": english["ETag"]})
    assert again.status_code == 200
    assert again.json()["items"][0]["created_line"] == "13 de julio de 2011 17:58 ET"
