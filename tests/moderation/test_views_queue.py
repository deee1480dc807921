"""The moderation queues (Reported, Withheld, Recent, Decided), through the client."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from soundoff.discussion.models import Comment, CommentStatus
from soundoff.moderation.audit import record
from soundoff.moderation.decisions import approve_comment, remove_comment, withhold_comment
from soundoff.moderation.models import ActionKind, Flag, Sanction, SanctionKind
from testkit.cast import conduct_rule, make_comment, make_post, make_reader
from testkit.pages import assert_sent_to_log_in, page_text

QUEUE_PAGES = [
    "/moderate/",
    "/moderate/queue/reported/",
    "/moderate/queue/withheld/",
    "/moderate/queue/recent/",
    "/moderate/queue/decided/",
]


def _flag(comment, reporter, rule=None, explanation=""):
    Flag.objects.create(comment=comment, reporter=reporter, rule=rule, explanation=explanation)
    comment.open_flags += 1
    Comment.objects.filter(pk=comment.pk).update(open_flags=comment.open_flags)


def _item_ids(response):
    return [c.pk for c in response.context["items"]]


@pytest.mark.parametrize("url", QUEUE_PAGES)
def test_anonymous_visitors_are_sent_to_log_in(client, db, url):
    response = client.get(url)
    assert_sent_to_log_in(response)


@pytest.mark.parametrize("url", QUEUE_PAGES)
def test_readers_are_forbidden(client, alice, url):
    client.force_login(alice)
    assert client.get(url).status_code == 403


@pytest.mark.parametrize("url", QUEUE_PAGES)
def test_moderators_see_the_queues(client, moderator, url):
    client.force_login(moderator)
    assert client.get(url).status_code == 200


def test_an_unknown_queue_is_not_found(client, moderator):
    client.force_login(moderator)
    url = reverse("moderation:queue_named", args=["everything"])
    assert client.get(url).status_code == 404


def test_reported_shows_visible_flagged_comments_most_flagged_first(
    client, moderator, alice, bob, thread
):
    readers = [make_reader() for _ in range(3)]
    once = make_comment(thread, alice, "Flagged once.")
    thrice = make_comment(thread, alice, "Flagged three times.")
    unflagged = make_comment(thread, alice, "Nobody minds this one.")
    held = make_comment(thread, alice, "Held already.", status=CommentStatus.HELD)
    removed = make_comment(thread, alice, "Removed already.", status=CommentStatus.REMOVED)
    _flag(once, bob, conduct_rule(1))
    for reader in readers:
        _flag(thrice, reader, conduct_rule(2))
    _flag(held, bob, conduct_rule(2))
    _flag(removed, bob, conduct_rule(2))

    client.force_login(moderator)
    response = client.get(reverse("moderation:queue_named", args=["reported"]))

    assert _item_ids(response) == [thrice.pk, once.pk]
    assert unflagged.pk not in _item_ids(response)
    assert "Reported (2)" in page_text(response)


def test_reported_settles_resolved_flags(client, moderator, alice, bob, thread):
    comment = make_comment(thread, alice, "Reported, then approved.")
    _flag(comment, bob, conduct_rule(1))
    approve_comment(comment, by=moderator)
    client.force_login(moderator)
    response = client.get(reverse("moderation:queue_named", args=["reported"]))
    assert _item_ids(response) == []


def test_withheld_shows_held_comments_with_the_reason(client, moderator, alice, thread):
    by_check = make_comment(thread, alice, "Too many links.", status=CommentStatus.HELD)
    by_check.held_reason = "links"
    by_check.save()
    by_score = make_comment(thread, alice, "Scored high.", status=CommentStatus.HELD)
    by_score.held_reason = "score_toxicity"
    by_score.save()
    premoderated = make_comment(thread, alice, "Waiting.", status=CommentStatus.HELD)
    premoderated.held_reason = "premoderated"
    premoderated.save()
    make_comment(thread, alice, "Shown.")

    client.force_login(moderator)
    response = client.get(reverse("moderation:queue_named", args=["withheld"]))

    assert set(_item_ids(response)) == {by_check.pk, by_score.pk, premoderated.pk}
    page = page_text(response)
    assert "Held by the link check" in page
    assert "Held for a high toxicity score" in page
    assert "Held: this discussion is pre-moderated" in page


def test_recent_shows_unreviewed_visible_comments_newest_first(client, moderator, alice, thread):
    now = timezone.now()
    older = make_comment(thread, alice, "Older.", created_at=now - timedelta(minutes=5))
    newer = make_comment(thread, alice, "Newer.", created_at=now)
    make_comment(thread, alice, "Held.", status=CommentStatus.HELD)
    make_comment(thread, alice, "Seen.", reviewed_at=now)

    client.force_login(moderator)
    url = reverse("moderation:queue_named", args=["recent"])
    assert _item_ids(client.get(url)) == [newer.pk, older.pk]

    client.post(
        reverse("moderation:decide", args=[newer.pk]),
        {"decision": "approve", "seen_version": newer.decision_version},
    )
    assert _item_ids(client.get(url)) == [older.pk]


def test_decided_lists_decisions_by_people_and_by_the_system(
    client, moderator, alice, bob, thread
):
    approved = make_comment(thread, alice, "Approved one.")
    approve_comment(approved, by=moderator)
    withheld = make_comment(thread, bob, "Withheld one.")
    withhold_comment(withheld, reason_code="score_spam", rule=conduct_rule(5))

    client.force_login(moderator)
    response = client.get(reverse("moderation:decided"))

    actions = list(response.context["page"].object_list)
    assert [(a.action, a.actor) for a in actions] == [
        (ActionKind.WITHHELD, None),
        (ActionKind.APPROVED, moderator),
    ]
    page = page_text(response)
    assert "Mona Moderator" in page
    assert "system" in page
    assert "Rule 5" in page


def test_an_item_shows_its_context_flags_scores_and_author_history(
    client, moderator, alice, bob, post, thread
):
    parent = make_comment(thread, bob, "The parent comment, about the water main.")
    comment = make_comment(thread, alice, "The reported reply.", parent=parent)
    make_comment(thread, bob, "A reply to the reply.", parent=comment)
    make_comment(thread, alice, "An old removed one.", status=CommentStatus.REMOVED)
    _flag(comment, bob, conduct_rule(2), "Calls me names.")
    _flag(comment, make_reader(), None, "Something else entirely.")
    comment.scores = {"toxicity": {"value": 0.9312, "model": "jigsaw-numpy", "version": "1.0"}}
    comment.save()
    Sanction.objects.create(
        user=alice, kind=SanctionKind.SUSPENSION, ends_at=timezone.now(), created_by=moderator
    )

    client.force_login(moderator)
    page = page_text(client.get(reverse("moderation:queue_named", args=["reported"])))

    assert post.headline in page
    assert "The parent comment, about the water main." in page
    assert "1 reply" in page
    assert "Rule 2 (No personal attacks or harassment)" in page
    assert "Calls me names." in page
    assert "Something else entirely." in page
    assert "toxicity 0.93" in page
    assert "jigsaw-numpy 1.0" in page
    assert "1 visible, 1 removed, 2 reports received, 1 sanction" in page


def _build_queue(n):
    post = make_post()
    for i in range(n):
        author = make_reader()
        reporter = make_reader()
        parent = make_comment(post.thread, reporter, f"Parent {i}")
        comment = make_comment(
            post.thread,
            author,
            f"Reported {i}",
            parent=parent,
            scores={"spam": {"value": 0.5, "model": "antispam", "version": "1"}},
        )
        _flag(comment, reporter, conduct_rule(1), "off topic")
        Sanction.objects.create(user=author, kind=SanctionKind.BAN, created_by=None)
        record(ActionKind.APPROVED, by=None, comment=comment)


def _queries_for_queue(client, name):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("moderation:queue_named", args=[name]))
    assert response.status_code == 200
    return len(queries), len(response.context["items"])


@pytest.mark.parametrize("name", ["reported", "recent"])
def test_the_queue_reads_a_bounded_number_of_queries(client, moderator, name):
    client.force_login(moderator)
    _build_queue(3)
    small, shown = _queries_for_queue(client, name)
    assert shown >= 3
    _build_queue(27)
    large, shown = _queries_for_queue(client, name)
    assert shown >= 25
    assert small == large
    assert large <= 16  # with the story picker's list and the open appeals' count


def test_decided_offers_to_restore_a_removed_comment(client, moderator, alice, thread):
    removed = make_comment(thread, alice, "Removed by mistake.")
    remove_comment(removed, by=moderator, rule=conduct_rule(1))
    approved = make_comment(thread, alice, "Approved.")
    approve_comment(approved, by=moderator)
    client.force_login(moderator)
    page = client.get(reverse("moderation:decided")).content.decode()
    decide = reverse("moderation:decide", args=[removed.pk])
    assert page.count('value="restore"') == 1
    assert f'action="{decide}"' in page

    removed.refresh_from_db()
    client.post(decide, {"decision": "restore", "seen_version": removed.decision_version})
    removed.refresh_from_db()
    assert removed.is_visible
    page = client.get(reverse("moderation:decided")).content.decode()
    assert 'value="restore"' not in page


def test_moderators_find_their_desk_from_every_page(client, moderator, alice, post):
    desk = f'href="{reverse("moderation:queue")}"'
    client.force_login(moderator)
    assert desk in client.get(post.get_absolute_url()).content.decode()
    assert desk in client.get("/").content.decode()
    client.force_login(alice)
    assert desk not in client.get(post.get_absolute_url()).content.decode()
