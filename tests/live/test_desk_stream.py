"""GET /live/moderation/, the moderation desk's live queue, through a real
server (granian, soundoff.asgi): moderators only, ids only; and the queue
page following it in real Chromium."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from testkit import cast
from testkit.servers import post_from_shell, request, seeded_server, shell_json
from testkit.streams import Stream

# A moderator and a reader, each with a session, as logging in makes one.
SESSIONS = """
import json
from django.conf import settings
from django.test import Client
from testkit import cast
from soundoff.accounts.models import User
from soundoff.moderation.readers import set_premoderation
moderator = cast.make_moderator("Mona Moderator", email="mona@example.com")
bob = User.objects.get(email="bob@example.com")
set_premoderation(bob, by=moderator, on=True)
cookies = {}
for name, user in (("moderator", moderator), ("reader", bob)):
    client = Client()
    client.force_login(user)
    cookies[name] = client.cookies[settings.SESSION_COOKIE_NAME].value
print(json.dumps({"cookie_name": settings.SESSION_COOKIE_NAME, **cookies}))
"""


APPROVE = """
import json
from soundoff.accounts.models import User
from soundoff.discussion.models import Comment
from soundoff.moderation.decisions import approve_comment
by = User.objects.get(email="mona@example.com")
print(json.dumps(approve_comment(Comment.objects.get(pk=%(id)d), by=by).status))
"""


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("live-desk")
    with seeded_server(
        data_dir,
        SOUNDOFF_LIVE_RETRY="1",
        SOUNDOFF_COMMENT_RATE="1000/60",
        SOUNDOFF_IP_COMMENT_RATE="1000/60",
        SOUNDOFF_REPEAT_WINDOW="0",
    ) as (server, seed):
        yield server.env, server, seed, shell_json(server.env, SESSIONS)


def _desk(world, open_streams, who: str | None) -> Stream:
    _, server, _, sessions = world
    headers = {"Cookie": f"{sessions['cookie_name']}={sessions[who]}"} if who else {}
    opened = Stream(server.port, "/live/moderation/", headers).open()
    open_streams.append(opened)
    return opened


def test_a_moderator_hears_of_new_and_held_comments_by_id_only(world, open_streams):
    env, _, seed, _ = world
    desk = _desk(world, open_streams, "moderator")
    assert desk.status == 200
    assert desk.response_headers["content-type"].startswith("text/event-stream")
    assert desk.next().retry == 1000

    shown = post_from_shell(env, seed["thread"], "Shown *at once*.", email=seed["reader"])
    event = desk.until("queue")
    assert event.json() == {"comment": shown["id"]}

    held = post_from_shell(env, seed["thread"], "A held secret.", email="bob@example.com")
    assert held["status"] == "held"
    event = desk.until("queue")
    assert event.json() == {"comment": held["id"]}
    assert "secret" not in event.data and "Bob" not in event.data


@pytest.mark.parametrize("who", [None, "reader"])
def test_the_desk_stream_is_refused_to_everyone_but_moderators(world, who):
    _, server, _, sessions = world
    headers = {"Cookie": f"{sessions['cookie_name']}={sessions[who]}"} if who else {}
    status, _, body = request(server.port, "GET", "/live/moderation/", headers=headers)
    assert status == 403
    assert body == b"Only moderators may follow the moderation queue."


def test_a_forged_session_and_another_origin_are_refused(world):
    _, server, _, sessions = world
    forged = {"Cookie": f"{sessions['cookie_name']}=not-a-session"}
    assert request(server.port, "GET", "/live/moderation/", headers=forged)[0] == 403
    elsewhere = {
        "Cookie": f"{sessions['cookie_name']}={sessions['moderator']}",
        "Origin": "http://evil.example",
    }
    assert request(server.port, "GET", "/live/moderation/", headers=elsewhere)[0] == 403


def test_the_desk_channel_is_no_public_thread(world):
    _, server, _, _ = world
    assert request(server.port, "GET", "/live/threads/0/")[0] == 404


@pytest.mark.browser
def test_the_withheld_queue_fills_without_reload_in_chromium(world, chromium):
    env, server, seed, _ = world
    page = chromium.new_context().new_page()
    page.set_default_timeout(10_000)
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(f"pageerror: {error}"))
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.goto(f"{server.url}/accounts/login/?next=/moderate/queue/withheld/")
    page.get_by_label("E-mail address").fill("mona@example.com")
    page.get_by_label("Password").fill(cast.PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(f"{server.url}/moderate/queue/withheld/")
    page.evaluate("window.notReloaded = true")
    before = page.locator(".mod-item").count()

    held = post_from_shell(env, seed["thread"], "Held **for review**.", email="bob@example.com")
    item = page.locator(f"#item-{held['id']}")
    expect(item.locator(".comment__body strong")).to_have_text("for review")
    expect(page.locator(".mod-item")).to_have_count(before + 1)
    expect(page.locator(".mod-nav a[data-count=withheld]")).to_have_text(
        f"Withheld ({before + 1})"
    )
    expect(page.locator(".mod-live")).to_contain_text("The queue changed")

    # Another moderator approves it: it leaves this queue.
    shell_json(env, APPROVE % {"id": held["id"]})
    expect(item).to_have_count(0)
    expect(page.locator(".mod-nav a[data-count=withheld]")).to_have_text(f"Withheld ({before})")
    assert page.evaluate("window.notReloaded") is True
    assert problems == []
    page.context.close()
