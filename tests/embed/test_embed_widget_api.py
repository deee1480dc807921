"""What the widget reads from the API beyond the thread itself."""

from soundoff.api.tokens import issue_token
from soundoff.discussion import services
from soundoff.discussion.models import Thread
from testkit import cast


def test_the_rules_are_listed_for_the_report_form(client, policies):
    response = client.get("/api/v1/rules")
    assert response.status_code == 200
    rules = response.json()
    assert rules
    assert [rule["number"] for rule in rules] == sorted(rule["number"] for rule in rules)
    assert set(rules[0]) == {"number", "title", "url"}
    # Each rule's anchor on the page of the Terms in force (version 1 here).
    assert [rule["url"] for rule in rules] == [
        f"/policies/terms/v1/#rule-{rule['number']}" for rule in rules
    ]
    assert rules[0]["url"] == "/policies/terms/v1/#rule-1"


def test_mine_gives_the_text_of_the_readers_editable_comments(client, alice, bob, thread):
    own = services.post_comment(
        thread, author=alice, body="Is *that* right?", client=cast.CLIENT
    ).comment
    services.post_comment(thread, author=bob, body="Someone else's.", client=cast.CLIENT)
    response = client.get(
        f"/api/v1/threads/{thread.pk}/mine",
        headers={"Authorization": f"Bearer {issue_token(alice)}"},
    )
    assert response.json()["sources"] == {str(own.pk): "Is *that* right?"}


def test_a_refused_site_can_read_why(client, db, refused_origin):
    page = f"{refused_origin}/2025/story"
    response = client.get("/api/v1/threads", {"url": page}, headers={"Origin": refused_origin})
    assert response.status_code == 403
    assert response.json()["error"] == "origin_not_allowed"
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in response
    assert not Thread.objects.filter(page_url=page).exists()


def test_an_allowed_site_gets_its_own_origin_back(client, allowed_origin):
    response = client.get(
        "/api/v1/threads", {"url": f"{allowed_origin}/story"}, headers={"Origin": allowed_origin}
    )
    assert response.status_code == 200
    assert response.json()["id"] is None
    assert response["Access-Control-Allow-Origin"] == allowed_origin
