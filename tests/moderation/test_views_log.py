"""The moderation log page: every decision, filtered and paged."""

from datetime import date, datetime, time, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from django.conf import settings
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from soundoff.discussion.errors import CommentRefused
from soundoff.discussion.services import post_comment
from soundoff.lib.dateline import newsroom_zone
from soundoff.moderation.audit import record
from soundoff.moderation.decisions import flag_comment, remove_comment
from soundoff.moderation.discussion_settings import update_word_list
from soundoff.moderation.models import ActionKind, ModerationAction
from testkit.cast import CLIENT, conduct_rule
from testkit.pages import assert_sent_to_log_in

URL = "/moderate/log/"


@pytest.fixture
def actions(moderator, make_moderator, alice):
    """One decision of each shape, on different days."""
    sam = make_moderator("Sam Second")
    rows = {
        "mona_removed": record(ActionKind.REMOVED, by=moderator, user=alice, rule=conduct_rule(2)),
        "sam_approved": record(ActionKind.APPROVED, by=sam, user=alice),
        "system_withheld": record(ActionKind.WITHHELD, by=None, user=alice, rule=conduct_rule(5)),
        "mona_banned_long_ago": record(
            ActionKind.BANNED, by=moderator, user=alice, rule=conduct_rule(4)
        ),
    }
    # Noon of the newsroom's day 40 days back: "now minus 40 days" can fall
    # on another newsroom day when the span crosses a change of clocks.
    long_ago = _newsroom_today() - timedelta(days=40)
    _backdate(rows["mona_banned_long_ago"], datetime.combine(long_ago, time(12), _newsroom()))
    return rows


def _newsroom():
    return newsroom_zone(settings.SOUNDOFF_TIME_ZONE)


def _newsroom_today() -> date:
    """The filter reads days as the newsroom lives them (between midnight
    UTC and midnight in New York, the dates differ)."""
    return timezone.localdate(timezone=_newsroom())


def _backdate(action, when):
    # The log is append-only, even for tests: back-date through the table.
    table = ModerationAction._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET created_at = %s WHERE id = %s", [when, action.pk])  # noqa: S608


def _shown(client, **filters):
    response = client.get(URL, filters)
    assert response.status_code == 200
    return {a.pk for a in response.context["page"].object_list}


def _pks(actions, *names):
    return {actions[name].pk for name in names}


def test_anonymous_visitors_are_sent_to_log_in(client, db):
    response = client.get(URL)
    assert_sent_to_log_in(response)


def test_readers_are_forbidden(client, alice):
    client.force_login(alice)
    assert client.get(URL).status_code == 403


def test_unfiltered_shows_everything_newest_first(client, moderator, actions):
    client.force_login(moderator)
    response = client.get(URL)
    shown = [a.pk for a in response.context["page"].object_list]
    assert set(shown) == set(_pks(actions, *actions))
    assert shown[-1] == actions["mona_banned_long_ago"].pk


def test_filter_by_moderator_display_name(client, moderator, actions):
    client.force_login(moderator)
    assert _shown(client, moderator="mona") == _pks(
        actions, "mona_removed", "mona_banned_long_ago"
    )
    assert _shown(client, moderator="Sam Second") == _pks(actions, "sam_approved")


def test_filter_by_the_system(client, moderator, actions):
    client.force_login(moderator)
    assert _shown(client, moderator="System") == _pks(actions, "system_withheld")


def test_filter_by_action(client, moderator, actions):
    client.force_login(moderator)
    assert _shown(client, action="removed") == _pks(actions, "mona_removed")


def test_filter_by_rule_number(client, moderator, actions):
    client.force_login(moderator)
    assert _shown(client, rule=5) == _pks(actions, "system_withheld")


def test_filter_by_date_range(client, moderator, actions):
    client.force_login(moderator)
    today = _newsroom_today()
    recent = _pks(actions, "mona_removed", "sam_approved", "system_withheld")
    assert _shown(client, since=today.isoformat()) == recent
    old = (today - timedelta(days=40)).isoformat()
    assert _shown(client, since=old, until=old) == _pks(actions, "mona_banned_long_ago")


def test_filters_combine(client, moderator, actions):
    client.force_login(moderator)
    assert _shown(client, moderator="Mona", rule=4) == _pks(actions, "mona_banned_long_ago")


def test_the_page_names_people_and_the_system(client, moderator, actions):
    client.force_login(moderator)
    page = client.get(URL).content.decode()
    assert "Mona Moderator" in page
    assert "Sam Second" in page
    assert ">system<" in page
    assert "Rule 5" in page
    assert "Reported (0)" in page


def test_pages_keep_the_filters(client, moderator, alice):
    for _ in range(55):
        record(ActionKind.APPROVED, by=moderator, user=alice)
    record(ActionKind.APPROVED, by=None, user=alice)
    client.force_login(moderator)

    response = client.get(URL, {"moderator": "Mona", "action": "approved"})
    page = response.context["page"]
    assert page.paginator.count == 55
    next_link = response.content.decode().split('rel="next"')[0].rsplit('href="', 1)[1]
    query = parse_qs(urlsplit(next_link.split('"')[0].replace("&amp;", "&")).query)
    assert query == {"moderator": ["Mona"], "action": ["approved"], "page": ["2"]}

    second = client.get(URL, {k: v[0] for k, v in query.items()})
    assert len(second.context["page"].object_list) == 5
    assert all(a.actor == moderator for a in second.context["page"].object_list)


def test_a_bad_filter_is_reported_not_ignored(client, moderator, actions):
    client.force_login(moderator)
    response = client.get(URL, {"since": "not a date"})
    assert response.status_code == 400
    assert "Enter a valid date." in response.content.decode()


def test_reports_and_refusals_are_listed_with_the_comment_text(
    client, moderator, alice, bob, thread
):

    comment = post_comment(
        thread, author=alice, body="The **council** <script>x()</script> hid it.", client=CLIENT
    ).comment
    flag_comment(comment, by=bob, rule=conduct_rule(2), explanation="Not true")
    update_word_list("banned", by=None, words="idiot", rule_number=2)
    with pytest.raises(CommentRefused):
        post_comment(thread, author=bob, body="You idiot.", client=CLIENT)
    client.force_login(moderator)
    page = client.get(URL).content.decode()
    # The report, by its reader, with the comment rendered and sanitized.
    assert "Reported by a reader" in page
    assert "<strong>council</strong>" in page
    assert "<script>" not in page
    # The refusal, by the system, with its reason, without the refused text.
    assert "Refused on posting" in page
    assert "banned_word" in page
    assert "You idiot." not in page
    filtered = client.get(URL, {"action": ActionKind.REFUSED}).context["page"].object_list
    assert [(a.user, a.actor) for a in filtered] == [(bob, None)]


def test_the_decided_queue_shows_the_comment_text_but_not_reports(
    client, moderator, alice, bob, thread
):

    comment = post_comment(thread, author=alice, body="Strong *words*.", client=CLIENT).comment
    flag_comment(comment, by=bob, rule=conduct_rule(2))
    remove_comment(comment, by=moderator, rule=conduct_rule(2))
    client.force_login(moderator)
    response = client.get(reverse("moderation:decided"))
    assert [a.action for a in response.context["page"].object_list] == [ActionKind.REMOVED]
    assert "Strong <em>words</em>." in response.content.decode()
