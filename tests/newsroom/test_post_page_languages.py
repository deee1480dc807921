"""The site in the reader's language: Accept-Language chooses among the
offered languages, SOUNDOFF_LANGUAGE decides for everyone else, and no
cached page of one language is ever served to a reader of another."""

import re
from datetime import UTC, datetime

import pytest
from django.core.cache import cache
from django.utils import timezone, translation

from soundoff.discussion import services
from soundoff.discussion.counts import response_count, soundoff_count
from testkit.cast import CLIENT, make_post

SPANISH = {"Accept-Language": "es-ES,es;q=0.9,en;q=0.5"}
ENGLISH = {"Accept-Language": "en-US,en;q=0.9"}


@pytest.fixture
def dated_post(db):
    # 21:58 UTC on 13 July 2011: 05:58 PM in New York (EDT).
    moment = datetime(2011, 7, 13, 21, 58, tzinfo=UTC)
    return make_post(slug="water-main", published_ago=timezone.now() - moment)


def test_a_spanish_reader_reads_the_post_page_in_spanish(client, dated_post, alice):
    services.post_comment(dated_post.thread, author=alice, body="Qué desastre.", client=CLIENT)
    response = client.get(dated_post.get_absolute_url(), headers=SPANISH)
    page = response.content.decode()
    assert '<html lang="es">' in page
    assert response["Content-Language"] == "es"
    assert "13 de julio de 2011" in page and "17:58 ET" in page
    assert "soundoff (Una respuesta)" in page
    assert "Publica un comentario" in page and "Normas de conducta" in page
    assert "Post a comment" not in page and "July 13th" not in page


def test_an_english_reader_reads_it_in_the_house_style(client, dated_post):
    page = client.get(dated_post.get_absolute_url(), headers=ENGLISH).content.decode()
    assert '<html lang="en">' in page
    assert "July 13th, 2011" in page and "05:58 PM ET" in page
    assert "soundoff (No Responses)" in page


@pytest.mark.parametrize(
    ("count", "english", "spanish"),
    [
        (0, "No Responses", "Sin respuestas"),
        (1, "One Response", "Una respuesta"),
        (2, "2 Responses", "2 respuestas"),
        (21, "21 Responses", "21 respuestas"),
    ],
)
def test_the_count_follows_each_language_plural_rules(count, english, spanish):
    with translation.override("en"):
        assert response_count(count) == english
        assert soundoff_count(count) == f"soundoff ({english})"
    with translation.override("es"):
        assert response_count(count) == spanish
        assert soundoff_count(count) == f"soundoff ({spanish})"


def test_a_language_the_site_does_not_offer_gets_the_site_language(client, post, settings):
    settings.LANGUAGE_CODE = "es"
    page = client.get(post.get_absolute_url(), headers={"Accept-Language": "fr-FR,fr"})
    assert '<html lang="es">' in page.content.decode()
    assert client.get(post.get_absolute_url(), headers=ENGLISH)["Content-Language"] == "en"


def test_without_accept_language_the_site_language_decides(client, post, settings):
    assert client.get(post.get_absolute_url())["Content-Language"] == "en"
    settings.LANGUAGE_CODE = "es"
    assert client.get(post.get_absolute_url())["Content-Language"] == "es"


def test_a_site_offering_only_spanish_answers_everyone_in_spanish(client, post, settings):
    settings.LANGUAGES = [("es", "Español")]
    settings.LANGUAGE_CODE = "es"
    response = client.get(post.get_absolute_url(), headers=ENGLISH)
    assert response["Content-Language"] == "es"
    assert "Publica un comentario" in response.content.decode()


def test_pages_say_they_vary_on_the_language(client, post):
    response = client.get(post.get_absolute_url(), headers=SPANISH)
    assert "Accept-Language" in response["Vary"]


def test_a_cached_page_of_one_language_never_reaches_a_reader_of_another(client, post, alice):
    services.post_comment(post.thread, author=alice, body="First!", client=CLIENT)
    comment_time = re.compile(r'class="comment__time"[^>]*><time [^>]*>([^<]+)</time>')
    # The rendered comment list is cached per thread version; the English
    # reader fills it first, then the Spanish one must not get it.
    english = client.get(post.get_absolute_url(), headers=ENGLISH)
    spanish = client.get(post.get_absolute_url(), headers=SPANISH)
    assert re.fullmatch(
        r"\w+ \d+\w\w, \d{4} \d\d:\d\d [AP]M ET", comment_time.findall(english.content.decode())[0]
    )
    assert re.fullmatch(
        r"\d+ de \w+ de \d{4} \d\d:\d\d ET", comment_time.findall(spanish.content.decode())[0]
    )
    # ...and the other way round, from a cache the Spanish reader filled.
    cache.clear()
    client.get(post.get_absolute_url(), headers=SPANISH)
    again = client.get(post.get_absolute_url(), headers=ENGLISH).content.decode()
    assert re.fullmatch(r"\w+ \d+\w\w, \d{4} \d\d:\d\d [AP]M ET", comment_time.findall(again)[0])
    assert english["ETag"] != spanish["ETag"]


def test_an_english_etag_does_not_revalidate_the_spanish_page(client, post):
    english = client.get(post.get_absolute_url(), headers=ENGLISH)
    spanish = client.get(
        post.get_absolute_url(), headers={**SPANISH, "If-None-Match": english["ETag"]}
    )
    assert spanish.status_code == 200
    assert "Publica un comentario" in spanish.content.decode()
    same = client.get(
        post.get_absolute_url(), headers={**ENGLISH, "If-None-Match": english["ETag"]}
    )
    assert same.status_code == 304


def test_a_language_cookie_does_not_choose(client, post):
    """A shared cache keys on Accept-Language only; a cookie that changed the
    language would let one request leave the wrong page in it."""
    client.cookies["django_language"] = "es"
    response = client.get(post.get_absolute_url(), headers=ENGLISH)
    assert response["Content-Language"] == "en"
    assert "Post a comment" in response.content.decode()


def test_a_missing_page_is_explained_in_the_reader_language(client, db):
    response = client.get("/no-such-section/no-such-story/", headers=SPANISH)
    assert response.status_code == 404
    page = response.content.decode()
    assert '<html lang="es">' in page and "Página no encontrada" in page
