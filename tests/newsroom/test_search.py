"""Readers' search over posts (/search/), through the client, on whichever
database the suite runs (SQLite FTS5, or PostgreSQL full-text)."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from soundoff.newsroom.models import Post, PostStatus, PostUpdate, UpdateKind
from soundoff.newsroom.services import add_post_update, save_post
from testkit.cast import make_post


def _found(client, query, **params):
    response = client.get("/search/", {"q": query, **params})
    assert response.status_code == 200
    return response


def _headlines(response):
    return [hit.item.headline for hit in response.context["page"].object_list]


@pytest.mark.django_db
def test_a_headline_match_ranks_above_a_body_match(client):
    make_post(headline="Council meets tonight", body="The reservoir is low again.")
    make_post(headline="Reservoir levels fall", body="Council members said nothing.")
    make_post(headline="Weather", body="Sunny.")

    assert _headlines(_found(client, "reservoir")) == [
        "Reservoir levels fall",
        "Council meets tonight",
    ]


@pytest.mark.django_db
def test_every_word_must_be_there(client):
    make_post(headline="Bridge closed", body="The river bridge is shut.")
    make_post(headline="River festival", body="Boats and music.")

    assert _headlines(_found(client, "river bridge")) == ["Bridge closed"]


@pytest.mark.django_db
def test_results_are_paginated_and_the_pager_keeps_the_query(client, settings):
    settings.SOUNDOFF_POSTS_PER_PAGE = 2
    for n in range(3):
        make_post(headline=f"Flood update {n}", published_ago=timedelta(hours=n + 1))

    first = _found(client, "flood")
    assert first.context["page"].paginator.count == 3
    assert len(_headlines(first)) == 2
    assert 'href="?q=flood&amp;page=2"' in first.content.decode()
    second = _found(client, "flood", page=2)
    assert len(_headlines(second)) == 1
    everything = _headlines(first) + _headlines(second)
    assert sorted(everything) == ["Flood update 0", "Flood update 1", "Flood update 2"]
    assert "3 posts found." in first.content.decode()


@pytest.mark.django_db
def test_highlights_escape_the_stored_text(client):
    make_post(
        headline="<b>Flood</b> & <i>warnings</i>",
        body='Before <script>alert("x")</script> the flood <img src=x onerror=alert(1)> after.',
    )

    page = _found(client, "flood").content.decode()
    results = page[page.index('class="search-count"') :]
    assert "<script>" not in results
    assert "<img" not in results
    assert "<b>" not in results
    # PostgreSQL's ts_headline leaves some tags out of a snippet; what it
    # keeps, like FTS5, is shown as text.
    assert "&lt;img src=x onerror=alert(1)&gt;" in results
    assert "&lt;b&gt;<mark>Flood</mark>&lt;/b&gt; &amp; &lt;i&gt;warnings&lt;/i&gt;" in results
    assert re.search(r"<mark>flood</mark>", results)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query",
    [
        '"flood',
        "flood*",
        "NEAR(flood",
        "NEAR(flood warning, 2)",
        "-flood",
        "flood -",
        "(flood",
        "flood)",
        "flood OR",
        "AND flood",
        "^flood",
        "headline:flood",
        "{headline body}: flood",
        "flood & | ! <->",
        "flood'",
        "flood\\",
        "flood\x00",
    ],
)
def test_the_engines_syntax_is_read_as_plain_words(client, query):
    # Operators are words like any other: the post has them all.
    make_post(headline="Flood warning issued", body="Near the headline and body, or 2 more.")

    response = _found(client, query)
    assert _headlines(response) == ["Flood warning issued"]
    assert response.context["q"] == query.strip()


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["", "   ", '"', "***", "()", "-"])
def test_a_query_without_words_shows_the_form(client, query):
    make_post(headline="Flood warning issued")

    response = _found(client, query)
    page = response.content.decode()
    assert 'role="search"' in page
    assert 'name="q"' in page
    assert "found." not in page


@pytest.mark.django_db
def test_the_form_keeps_what_was_typed(client):
    page = _found(client, 'flood "<script>').content.decode()

    assert 'value="flood &quot;&lt;script&gt;"' in page


@pytest.mark.django_db
def test_a_long_query_is_cut_and_still_answers(client):
    make_post(headline="Flood warning issued")

    response = _found(client, "flood " + "x" * 5000)

    assert len(response.context["q"]) == 200
    assert _headlines(response) == []


@pytest.mark.django_db
def test_drafts_and_scheduled_posts_are_never_found(client):
    make_post(headline="Flood draft", status=PostStatus.DRAFT)
    make_post(
        headline="Flood tomorrow", status=PostStatus.SCHEDULED, published_ago=-timedelta(days=1)
    )
    make_post(headline="Flood today")

    assert _headlines(_found(client, "flood")) == ["Flood today"]


@pytest.mark.django_db
def test_updates_and_corrections_are_found(client, desk_editor):
    post = make_post(headline="Storm nears coast", body="Winds are rising.")
    add_post_update(
        post, by=desk_editor, kind=UpdateKind.CORRECTION, text="The mayor ordered an evacuation."
    )

    response = _found(client, "evacuation")
    assert _headlines(response) == ["Storm nears coast"]
    assert "<mark>evacuation</mark>" in str(response.context["page"].object_list[0].snippet)
    # One word in the post and one in its update: the post has both.
    assert _headlines(_found(client, "winds evacuation")) == ["Storm nears coast"]


@pytest.mark.django_db
def test_the_index_follows_edits_and_deletions(client, desk_editor):
    post = make_post(headline="Tram strike called", body="Drivers walk out.")
    assert _headlines(_found(client, "tram")) == ["Tram strike called"]

    post.headline = "Bus strike called"
    save_post(post, by=desk_editor)
    assert _headlines(_found(client, "tram")) == []
    assert _headlines(_found(client, "bus")) == ["Bus strike called"]

    # A bulk update, as an import or a data fix makes, skips save() entirely.
    Post.objects.filter(pk=post.pk).update(body="Conductors walk out.")
    assert _headlines(_found(client, "drivers")) == []
    assert _headlines(_found(client, "conductors")) == ["Bus strike called"]

    add_post_update(post, by=desk_editor, kind=UpdateKind.UPDATE, text="Talks resume.")
    PostUpdate.objects.filter(post=post).delete()
    assert _headlines(_found(client, "talks")) == []

    post.delete()
    assert _headlines(_found(client, "bus")) == []


@pytest.mark.django_db
def test_the_number_of_queries_does_not_grow_with_the_results(client, settings, desk_editor):
    settings.SOUNDOFF_POSTS_PER_PAGE = 10

    def queries_for_a_page():
        with CaptureQueriesContext(connection) as queries:
            _found(client, "flood")
        return len(queries)

    for _ in range(2):
        add_post_update(make_post(headline="Flood"), by=desk_editor, kind="update", text="Flood.")
    few = queries_for_a_page()
    for _ in range(12):
        add_post_update(make_post(headline="Flood"), by=desk_editor, kind="update", text="Flood.")
    many = queries_for_a_page()

    assert many == few
    assert many <= 4


@pytest.mark.django_db
def test_the_masthead_offers_search_on_every_page(client, post):
    for page in ["/", post.get_absolute_url()]:
        body = client.get(page).content.decode()
        assert 'action="/search/"' in body
        assert 'role="search"' in body
