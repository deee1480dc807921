"""The desk's pages through the client: Approved and Rejected queues,
per-story queues, the reader drawer's forms and the dashboard."""

import html

import pytest

from soundoff.discussion.services import post_comment
from soundoff.moderation.decisions import approve_comment, flag_comment, remove_comment
from soundoff.moderation.models import ActionKind, ModerationAction, ReaderNote
from testkit.cast import CLIENT, conduct_rule, make_post, make_reader
from testkit.pages import page_text


def _post(thread, author, body, **extra):
    return post_comment(thread, author=author, body=body, client=CLIENT, **extra).comment


@pytest.fixture
def no_repeat(settings):
    settings.SOUNDOFF_REPEAT_WINDOW = 0


def test_rejected_shows_the_rendered_text_rule_and_note(client, moderator, alice, thread):
    comment = _post(thread, alice, "You are **all** fools.")
    client.force_login(moderator)
    response = client.post(
        f"/moderate/comments/{comment.pk}/decide/",
        {"decision": "remove", "rule": conduct_rule(2).pk, "note": "Second time this week."},
    )
    assert response.status_code == 303
    action = ModerationAction.objects.get(comment=comment, action=ActionKind.REMOVED)
    assert action.note == "Second time this week."
    page = html.unescape(client.get("/moderate/queue/rejected/").content.decode())
    assert "You are <strong>all</strong> fools." in page
    assert "**all**" not in page
    assert "Second time this week." in page
    assert "Removed by Mona Moderator" in page
    assert 'value="restore"' in page


def test_approved_lists_what_a_moderator_approved(client, moderator, alice, thread, no_repeat):
    approved = _post(thread, alice, "Approved one.")
    _post(thread, alice, "Not looked at.")
    approve_comment(approved, by=moderator)
    client.force_login(moderator)
    page = client.get("/moderate/queue/approved/").content.decode()
    assert f'id="item-{approved.pk}"' in page
    assert "Not looked at." not in page
    assert "Approved (1)" in page


def test_a_story_narrows_the_queue_and_its_counts(client, moderator, alice, thread, no_repeat):
    other = make_post(headline="Bridge reopens", slug="bridge").thread
    here = _post(thread, alice, "About water.")
    there = _post(other, alice, "About the bridge.")
    client.force_login(moderator)
    page = client.get(f"/moderate/story/{other.pk}/recent/").content.decode()
    assert f'id="item-{there.pk}"' in page
    assert f'id="item-{here.pk}"' not in page
    assert "Recent (1)" in page
    assert f'href="/moderate/story/{other.pk}/rejected/"' in page
    picked = client.get("/moderate/queue/recent/", {"story": thread.pk})
    assert picked.headers["Location"] == f"/moderate/story/{thread.pk}/recent/"
    assert client.get("/moderate/story/999999/recent/").status_code == 404
    assert client.get(f"/moderate/story/{thread.pk}/nonsense/").status_code == 404


def test_a_reply_quotes_its_parent_rendered(client, moderator, alice, bob, thread):
    parent = _post(thread, alice, "Fix the *pipes*.")
    _post(thread, bob, "Agreed.", parent=parent)
    client.force_login(moderator)
    page = client.get("/moderate/queue/recent/").content.decode()
    assert "Fix the <em>pipes</em>." in page


def test_the_drawer_and_its_forms_are_for_moderators_only(client, alice, bob):
    client.force_login(bob)
    assert client.get(f"/moderate/readers/{alice.pk}/drawer/").status_code == 403
    response = client.post(f"/moderate/readers/{alice.pk}/notes/", {"text": "Hm."})
    assert response.status_code == 403
    assert not ReaderNote.objects.exists()


def test_a_note_goes_back_to_the_queue(client, moderator, alice):
    client.force_login(moderator)
    response = client.post(
        f"/moderate/readers/{alice.pk}/notes/",
        {"text": "Called the desk twice.", "next": "/moderate/queue/withheld/"},
    )
    assert response.headers["Location"] == "/moderate/queue/withheld/"
    drawer = client.get(f"/moderate/readers/{alice.pk}/drawer/").content.decode()
    assert "Called the desk twice." in drawer
    assert "Mona Moderator" in drawer


def test_a_refused_warning_keeps_what_was_typed(client, moderator, alice):
    client.force_login(moderator)
    response = client.post(
        f"/moderate/readers/{alice.pk}/warning/", {"rule": "", "note": "Mind your words."}
    )
    assert response.status_code == 400
    page = page_text(response)
    assert "Cite the rule the reader is warned about." in page
    assert "Mind your words." in page
    assert not ModerationAction.objects.filter(action=ActionKind.WARNED).exists()


@pytest.mark.parametrize(
    ("verified", "said"),
    [
        (True, "The warning is logged and e-mailed to Wren Warned."),
        (False, "The warning is logged; Wren Warned has no confirmed address to e-mail it to."),
    ],
)
def test_the_desk_says_whether_the_warning_is_mailed(client, moderator, verified, said):
    warned = make_reader("Wren Warned", verified=verified)
    client.force_login(moderator)
    response = client.post(
        f"/moderate/readers/{warned.pk}/warning/",
        {"rule": conduct_rule(2).pk, "note": ""},
        follow=True,
    )
    assert said in page_text(response)


def test_premoderation_from_the_drawer(client, moderator, alice):
    client.force_login(moderator)
    client.post(f"/moderate/readers/{alice.pk}/premoderation/", {"premoderate": "on"})
    page = client.get(f"/moderate/readers/{alice.pk}/").content.decode()
    assert "Every new comment of this reader is held for review." in page
    client.post(f"/moderate/readers/{alice.pk}/premoderation/", {})
    page = client.get(f"/moderate/readers/{alice.pk}/").content.decode()
    assert "Every new comment of this reader is held for review." not in page


def test_the_dashboard_counts_per_day_and_story(
    client, moderator, alice, bob, thread, no_repeat, django_assert_max_num_queries
):
    first = _post(thread, alice, "One.")
    _post(thread, alice, "Two.")
    flag_comment(first, by=bob, rule=conduct_rule(2))
    remove_comment(first, by=moderator, rule=conduct_rule(2))
    client.force_login(moderator)
    with django_assert_max_num_queries(20):
        response = client.get("/moderate/dashboard/", {"days": "14"})
    page = response.content.decode()
    assert response.status_code == 200
    assert page.count('<svg class="chart__svg') == 8
    row = page[page.index("Water main breaks downtown</a></th>") :]
    cells = row[: row.index("</tr>")]
    assert "<td>2</td><td>0</td><td>1</td><td>1</td>" in cells
    assert 'value="14" selected' in page


def test_the_dashboard_refuses_readers(client, bob):
    client.force_login(bob)
    assert client.get("/moderate/dashboard/").status_code == 403


def test_the_live_view_renders_only_asked_comments_in_the_queue(
    client, moderator, alice, thread, no_repeat
):
    shown = _post(thread, alice, "Shown *now*.")
    removed = _post(thread, alice, "Removed later.")
    remove_comment(removed, by=moderator, rule=conduct_rule(2))
    client.force_login(moderator)
    answer = client.get(
        "/moderate/live/recent/", {"ids": f"{shown.pk},{removed.pk},x", "story": thread.pk}
    ).json()
    assert [item["id"] for item in answer["items"]] == [shown.pk]
    assert "Shown <em>now</em>." in answer["items"][0]["html"]
    assert answer["counts"]["recent"] == 1
    assert answer["counts"]["rejected"] == 1


def test_the_live_view_refuses_readers(client, alice, bob, thread):
    comment = _post(thread, alice, "Held? No, shown.")
    client.force_login(bob)
    response = client.get("/moderate/live/recent/", {"ids": comment.pk})
    assert response.status_code == 403
    assert b"Held?" not in response.content


def test_a_refused_premoderation_says_why_on_the_readers_page(client, moderator, make_moderator):
    other = make_moderator("Other Moderator")
    client.force_login(moderator)
    response = client.post(f"/moderate/readers/{other.pk}/premoderation/", {"premoderate": "on"})
    assert response.status_code == 400
    assert "Staff and moderators can&#x27;t be put on pre-moderation." in response.content.decode()
