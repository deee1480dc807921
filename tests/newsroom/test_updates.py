"""Dated updates and corrections on published posts: add_post_update, the
page, the feed, the sitemap and the page's validators."""

from datetime import UTC, datetime, timedelta
from xml.etree import ElementTree

import pytest
from django.urls import reverse
from django.utils.http import http_date

from soundoff.discussion.errors import NotAllowed
from soundoff.newsroom.errors import UpdateRefused
from soundoff.newsroom.models import Post, PostStatus, PostUpdate, UpdateKind
from soundoff.newsroom.services import add_post_update
from testkit.cast import make_post

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def _at(entry: PostUpdate, moment: datetime) -> None:
    PostUpdate.objects.filter(pk=entry.pk).update(created_at=moment)
    Post.objects.filter(pk=entry.post_id).update(updated_at=moment)


@pytest.fixture
def storm(db):
    post = make_post(headline="Storm hits the coast", slug="storm")
    Post.objects.filter(pk=post.pk).update(published_at=datetime(2011, 7, 13, 21, 58, tzinfo=UTC))
    post.refresh_from_db()
    return post


def test_an_editor_adds_an_update_and_the_post_is_modified(storm, desk_editor):
    before = storm.updated_at
    entry = add_post_update(
        storm, by=desk_editor, kind=UpdateKind.UPDATE, text="Power is back in **most** homes."
    )
    assert entry.editor == desk_editor
    assert entry.text_html == "<p>Power is back in <strong>most</strong> homes.</p>\n"
    stored = Post.objects.get(pk=storm.pk)
    assert stored.updated_at == entry.created_at > before
    assert storm.updated_at == entry.created_at


def test_update_text_goes_through_the_sanitizer(storm, desk_editor):
    entry = add_post_update(
        storm,
        by=desk_editor,
        kind=UpdateKind.CORRECTION,
        text="<script>alert(1)</script> [x](javascript:alert(1))",
    )
    assert "<script>" not in entry.text_html
    assert "<a" not in entry.text_html


def test_the_page_shows_updated_under_the_stamp_and_dated_notes_at_the_end(
    client, storm, desk_editor
):
    update = add_post_update(storm, by=desk_editor, kind=UpdateKind.UPDATE, text="Power is back.")
    _at(update, datetime(2011, 7, 13, 22, 5, tzinfo=UTC))
    correction = add_post_update(
        storm,
        by=desk_editor,
        kind=UpdateKind.CORRECTION,
        text="An earlier version misstated the wind speed.",
    )
    _at(correction, datetime(2011, 7, 13, 22, 12, tzinfo=UTC))
    page = client.get(storm.get_absolute_url()).content.decode()
    stamp = page.index("05:58 PM ET")
    assert stamp < page.index("Updated 06:12 PM ET") < page.index("<h1")
    notes = page[page.index('class="post__updates"') :]
    assert notes.index("Update</strong> · <time") < notes.index("Correction</strong>")
    assert "July 13th, 2011 06:05 PM ET" in notes and "July 13th, 2011 06:12 PM ET" in notes
    assert notes.index("misstated the wind speed") < notes.index('id="comments"')
    assert desk_editor.display_name not in page


def test_an_update_on_a_later_day_carries_its_date(client, storm, desk_editor):
    entry = add_post_update(storm, by=desk_editor, kind=UpdateKind.UPDATE, text="Cleanup ends.")
    _at(entry, datetime(2011, 7, 15, 14, 0, tzinfo=UTC))
    page = client.get(storm.get_absolute_url()).content.decode()
    assert "Updated July 15th, 2011 10:00 AM ET" in page


def test_a_post_without_updates_says_nothing_of_them(client, storm):
    page = client.get(storm.get_absolute_url()).content.decode()
    assert "Updated" not in page and "post__updates" not in page


def test_the_history_is_kept_in_order(storm, desk_editor):
    first = add_post_update(storm, by=desk_editor, kind=UpdateKind.UPDATE, text="Roads closed.")
    second = add_post_update(
        storm, by=desk_editor, kind=UpdateKind.CORRECTION, text="Only the coast road closed."
    )
    assert list(storm.updates.all()) == [first, second]
    assert PostUpdate.objects.get(pk=first.pk).text == "Roads closed."


def test_readers_and_staff_outside_the_editors_group_cannot_add_one(storm, alice, editor):
    for user in (alice, editor):
        with pytest.raises(NotAllowed) as refused:
            add_post_update(storm, by=user, kind=UpdateKind.UPDATE, text="Fake news.")
        assert refused.value.detail == "Only editors can add an update or a correction to a post."
    assert not PostUpdate.objects.exists()
    assert Post.objects.get(pk=storm.pk).updated_at == storm.updated_at


@pytest.mark.parametrize("text", ["", "   \n\t "])
def test_empty_text_is_refused_with_a_clear_message(storm, desk_editor, text):
    with pytest.raises(UpdateRefused) as refused:
        add_post_update(storm, by=desk_editor, kind=UpdateKind.CORRECTION, text=text)
    assert refused.value.detail == "Write the update or correction as readers should read it."
    assert not PostUpdate.objects.exists()


def test_text_the_database_cannot_store_is_refused(storm, desk_editor):
    with pytest.raises(UpdateRefused) as refused:
        add_post_update(storm, by=desk_editor, kind=UpdateKind.UPDATE, text="Bad\x00byte")
    assert "NUL character" in refused.value.detail
    assert not PostUpdate.objects.exists()


def test_an_unpublished_post_takes_no_update(db, desk_editor):
    draft = make_post(status=PostStatus.DRAFT)
    with pytest.raises(UpdateRefused) as refused:
        add_post_update(draft, by=desk_editor, kind=UpdateKind.UPDATE, text="Too early.")
    assert refused.value.detail.startswith("Updates and corrections are for published posts.")


def test_the_page_validators_change_when_an_update_is_added(client, storm, desk_editor):
    first = client.get(storm.get_absolute_url())
    entry = add_post_update(storm, by=desk_editor, kind=UpdateKind.UPDATE, text="Power is back.")
    response = client.get(storm.get_absolute_url(), headers={"If-None-Match": first["ETag"]})
    assert response.status_code == 200
    assert response["ETag"] != first["ETag"]
    assert response["Last-Modified"] == http_date(entry.created_at.timestamp())
    assert "Power is back." in response.content.decode()


def test_the_feed_carries_the_notes_and_the_modified_time(client, storm, desk_editor):
    entry = add_post_update(
        storm, by=desk_editor, kind=UpdateKind.CORRECTION, text="The wind speed was 60 mph."
    )
    _at(entry, datetime(2011, 7, 14, 1, 2, 3, tzinfo=UTC))
    feed = ElementTree.fromstring(client.get(reverse("newsroom:feed")).content)
    item = next(feed.iter("item"))
    assert item.findtext(f"{ATOM}updated") == "2011-07-14T01:02:03+00:00"
    assert item.findtext("pubDate") == "Wed, 13 Jul 2011 21:58:00 +0000"
    assert feed.findtext("channel/lastBuildDate") == "Thu, 14 Jul 2011 01:02:03 +0000"
    assert "The wind speed was 60 mph." in item.findtext("description")


def test_the_sitemap_carries_the_modified_time_to_the_second(client, storm, desk_editor):
    entry = add_post_update(storm, by=desk_editor, kind=UpdateKind.UPDATE, text="Power is back.")
    _at(entry, datetime(2011, 7, 14, 1, 2, 3, tzinfo=UTC))
    sitemap = ElementTree.fromstring(client.get(reverse("sitemap")).content)
    url = next(sitemap.iter(f"{SITEMAP}url"))
    assert url.findtext(f"{SITEMAP}loc") == "http://testserver/posts/storm/"
    lastmod = datetime.fromisoformat(url.findtext(f"{SITEMAP}lastmod"))
    assert lastmod == datetime(2011, 7, 14, 1, 2, 3, tzinfo=UTC)


def test_a_scheduled_post_is_modified_when_it_appears(db):
    post = make_post(status=PostStatus.SCHEDULED, published_ago=timedelta(minutes=-5))
    assert post.modified_at == post.published_at > post.updated_at
