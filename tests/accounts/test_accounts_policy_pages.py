"""/terms/, /rules/, /privacy/ and /policies/<kind>/v<n>/: the documents in force."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from soundoff.accounts.models import ConductRule, PolicyAcceptance, PolicyVersion
from soundoff.accounts.queries import current_policies, policies_awaiting
from testkit.cast import PASSWORD
from testkit.pages import page_text


@pytest.fixture
def terms_v1(policies) -> PolicyVersion:
    return PolicyVersion.objects.get(kind="terms", version=1)


def _draft_terms_v2(published_at) -> PolicyVersion:
    return PolicyVersion.objects.create(
        kind="terms",
        version=2,
        title="Terms of Service",
        body="The draft text of version two.",
        published_at=published_at,
    )


def test_terms_show_the_current_version_and_its_numbered_rules(client: Client, terms_v1) -> None:
    response = client.get("/terms/")

    assert response.status_code == 200
    page = page_text(response)
    assert "<h1>Terms of Service</h1>" in page
    assert "Version 1, in force from" in page
    rules = list(terms_v1.rules.order_by("number"))
    assert len(rules) >= 5
    assert [rule.number for rule in rules] == list(range(1, len(rules) + 1))
    positions = []
    for rule in rules:
        assert f'<li id="rule-{rule.number}" value="{rule.number}">' in page
        assert f'href="#rule-{rule.number}"' in page
        assert f"Rule {rule.number}: {rule.title}" in page
        positions.append(page.index(f'id="rule-{rule.number}"'))
    assert positions == sorted(positions)


def test_terms_read_in_a_fixed_number_of_queries(
    client: Client, terms_v1, django_assert_num_queries
) -> None:
    # Document, its rules, the version history: not one query per rule.
    with django_assert_num_queries(3):
        client.get("/terms/")


def test_rules_list_every_rule_and_link_to_the_terms_they_belong_to(
    client: Client, terms_v1
) -> None:
    response = client.get("/rules/")

    assert response.status_code == 200
    page = page_text(response)
    assert 'href="/policies/terms/v1/"' in page
    for rule in terms_v1.rules.all():
        assert f'id="rule-{rule.number}"' in page
        assert rule.title in page


def test_privacy_shows_the_privacy_policy_without_rules(client: Client, policies) -> None:
    response = client.get("/privacy/")

    assert response.status_code == 200
    page = page_text(response)
    assert "<h1>Privacy Policy</h1>" in page
    assert 'id="rule-1"' not in page


def test_a_numbered_version_has_its_own_page(client: Client, terms_v1) -> None:
    response = client.get("/policies/terms/v1/")

    assert response.status_code == 200
    assert response.context["document"] == terms_v1
    assert 'id="rule-1"' in page_text(response)


@pytest.mark.parametrize(
    "url", ["/policies/terms/v99/", "/policies/privacy/v0/", "/policies/cookies/v1/"]
)
def test_an_unknown_version_or_document_is_not_found(client: Client, policies, url: str) -> None:
    assert client.get(url).status_code == 404


def test_policy_pages_are_read_only(client: Client, policies) -> None:
    assert client.post("/terms/").status_code == 405
    assert client.post("/rules/").status_code == 405


def test_nothing_published_is_not_found(client: Client, policies) -> None:
    PolicyVersion.objects.update(published_at=None)

    assert client.get("/terms/").status_code == 404
    assert client.get("/privacy/").status_code == 404
    assert client.get("/rules/").status_code == 404


@pytest.mark.parametrize(
    "published_at", [None, timezone.now() + timedelta(days=3)], ids=["draft", "scheduled"]
)
class TestAnUnpublishedVersion:
    def test_it_is_not_shown(self, client: Client, terms_v1, published_at) -> None:
        _draft_terms_v2(published_at)

        page = page_text(client.get("/terms/"))

        assert "Version 1, in force from" in page
        assert "The draft text of version two." not in page
        assert "Earlier versions" not in page
        assert client.get("/policies/terms/v2/").status_code == 404
        assert 'href="/policies/terms/v1/"' in page_text(client.get("/rules/"))

    def test_it_is_not_awaiting_acceptance(self, alice, terms_v1, published_at) -> None:
        _draft_terms_v2(published_at)

        assert policies_awaiting(alice) == []
        assert current_policies()["terms"] == terms_v1

    def test_registration_accepts_only_what_is_published(
        self, client: Client, terms_v1, published_at
    ) -> None:
        draft = _draft_terms_v2(published_at)

        client.post(
            "/accounts/register/",
            {
                "email": "dora@example.com",
                "display_name": "Dora Reader",
                "password1": PASSWORD,
                "password2": PASSWORD,
                "accept_policies": "on",
            },
        )

        accepted = {
            (acceptance.document.kind, acceptance.document.version)
            for acceptance in PolicyAcceptance.objects.filter(user__email="dora@example.com")
        }
        assert accepted == {("terms", 1), ("privacy", 1)}
        assert not PolicyAcceptance.objects.filter(document=draft).exists()


def test_a_newly_published_version_replaces_the_old_one_which_stays_readable(
    client: Client, terms_v1
) -> None:
    v2 = _draft_terms_v2(timezone.now())
    ConductRule.objects.create(
        terms=v2, number=1, slug="be-kind", title="Be kind", text="Be kind to one another."
    )

    page = page_text(client.get("/terms/"))

    assert "Version 2, in force from" in page
    assert "Rule 1: Be kind" in page
    assert "Earlier versions" in page
    assert 'href="/policies/terms/v1/"' in page
    old = client.get("/policies/terms/v1/")
    assert old.status_code == 200
    assert old.context["document"] == terms_v1
    assert 'href="/policies/terms/v2/"' in page_text(client.get("/rules/"))
