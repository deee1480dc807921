"""The operator's admin: a frozen acceptance ledger, frozen published versions."""

import pytest
from django.test import Client

from soundoff.accounts.models import ConductRule, PolicyAcceptance, PolicyVersion, User
from testkit.pages import page_text

ACCEPTANCES = "/admin/accounts/policyacceptance/"
VERSIONS = "/admin/accounts/policyversion/"


@pytest.fixture
def terms_v1(policies) -> PolicyVersion:
    return PolicyVersion.objects.get(kind="terms", version=1)


@pytest.fixture
def acceptance(alice, terms_v1) -> PolicyAcceptance:
    return PolicyAcceptance.objects.get(user=alice, document=terms_v1)


def test_the_operator_can_read_the_acceptance_ledger(operator_client: Client, acceptance) -> None:
    response = operator_client.get(ACCEPTANCES)

    assert response.status_code == 200
    page = page_text(response)
    assert "Alice Reader" in page
    assert f'href="{ACCEPTANCES}add/"' not in page
    assert "delete_selected" not in page


def test_not_even_a_superuser_can_add_an_acceptance(
    operator_client: Client, alice, terms_v1
) -> None:
    before = PolicyAcceptance.objects.count()

    assert operator_client.get(f"{ACCEPTANCES}add/").status_code == 403
    response = operator_client.post(
        f"{ACCEPTANCES}add/",
        {
            "user": alice.pk,
            "document": terms_v1.pk,
            "accepted_at_0": "2020-01-01",
            "accepted_at_1": "00:00:00",
        },
    )

    assert response.status_code == 403
    assert PolicyAcceptance.objects.count() == before


def test_not_even_a_superuser_can_change_an_acceptance(
    operator_client: Client, acceptance, bob
) -> None:
    url = f"{ACCEPTANCES}{acceptance.pk}/change/"
    page = page_text(operator_client.get(url))
    assert 'name="_save"' not in page

    response = operator_client.post(
        url,
        {
            "user": bob.pk,
            "document": acceptance.document_id,
            "accepted_at_0": "2020-01-01",
            "accepted_at_1": "00:00:00",
        },
    )

    assert response.status_code == 403
    kept = PolicyAcceptance.objects.get(pk=acceptance.pk)
    assert (kept.user_id, kept.accepted_at) == (acceptance.user_id, acceptance.accepted_at)


def test_not_even_a_superuser_can_delete_an_acceptance(
    operator_client: Client, acceptance
) -> None:
    url = f"{ACCEPTANCES}{acceptance.pk}/delete/"

    assert operator_client.get(url).status_code == 403
    assert operator_client.post(url, {"post": "yes"}).status_code == 403
    operator_client.post(
        ACCEPTANCES,
        {"action": "delete_selected", "_selected_action": [acceptance.pk], "post": "yes"},
    )

    assert PolicyAcceptance.objects.filter(pk=acceptance.pk).exists()


def test_a_published_version_is_shown_read_only(operator_client: Client, terms_v1) -> None:
    response = operator_client.get(f"{VERSIONS}{terms_v1.pk}/change/")

    assert response.status_code == 200
    page = page_text(response)
    for field in ("kind", "version", "title", "body", "summary_of_changes", "published_at"):
        assert f'name="{field}"' not in page
        assert f'name="{field}_0"' not in page
    assert 'name="rules-0-title"' not in page  # its rules too
    assert 'href="/admin/accounts/policyversion/' in page  # the page itself rendered


def test_posting_to_a_published_version_changes_nothing(operator_client: Client, terms_v1) -> None:
    rules = list(terms_v1.rules.values_list("number", "title", "text"))
    data = {
        "kind": "terms",
        "version": "1",
        "title": "Hijacked",
        "body": "All your comments are ours.",
        "summary_of_changes": "",
        "published_at_0": "2020-01-01",
        "published_at_1": "00:00:00",
        "rules-TOTAL_FORMS": str(len(rules)),
        "rules-INITIAL_FORMS": str(len(rules)),
        "rules-MIN_NUM_FORMS": "0",
        "rules-MAX_NUM_FORMS": "1000",
    }
    for i, rule in enumerate(terms_v1.rules.all()):
        data |= {
            f"rules-{i}-id": rule.pk,
            f"rules-{i}-terms": terms_v1.pk,
            f"rules-{i}-number": rule.number,
            f"rules-{i}-slug": rule.slug,
            f"rules-{i}-title": "Anything goes",
            f"rules-{i}-text": "Anything goes.",
        }

    operator_client.post(f"{VERSIONS}{terms_v1.pk}/change/", data)

    kept = PolicyVersion.objects.get(pk=terms_v1.pk)
    assert (kept.title, kept.body, kept.published_at) == (
        terms_v1.title,
        terms_v1.body,
        terms_v1.published_at,
    )
    assert list(kept.rules.values_list("number", "title", "text")) == rules


def test_a_draft_version_is_editable(operator_client: Client, policies) -> None:
    draft = PolicyVersion.objects.create(
        kind="privacy", version=2, title="Privacy Policy", body="Draft.", published_at=None
    )

    page = page_text(operator_client.get(f"{VERSIONS}{draft.pk}/change/"))

    assert 'name="body"' in page
    assert 'name="published_at_0"' in page


def test_a_published_version_cannot_be_deleted(operator_client: Client, terms_v1) -> None:
    assert (
        operator_client.post(f"{VERSIONS}{terms_v1.pk}/delete/", {"post": "yes"}).status_code
        == 403
    )
    assert PolicyVersion.objects.filter(pk=terms_v1.pk).exists()


def test_the_draft_next_version_action_copies_text_and_rules(
    operator_client: Client, terms_v1
) -> None:
    response = operator_client.post(
        VERSIONS, {"action": "draft_next_version", "_selected_action": [terms_v1.pk]}
    )

    assert response.status_code == 302
    draft = PolicyVersion.objects.get(kind="terms", version=2)
    assert draft.published_at is None
    assert not draft.is_published
    assert (draft.title, draft.body) == (terms_v1.title, terms_v1.body)
    fields = ("number", "slug", "title", "text", "text_html")
    assert list(draft.rules.values_list(*fields)) == list(terms_v1.rules.values_list(*fields))
    assert ConductRule.objects.filter(terms=terms_v1).count() == draft.rules.count()
    assert "Drafted Terms of Service v2." in page_text(operator_client.get(VERSIONS))
    # The draft is not in force.
    assert operator_client.get("/policies/terms/v2/").status_code == 404


def test_a_staff_member_without_permissions_cannot_see_the_ledger(
    client: Client, editor, acceptance
) -> None:
    client.force_login(editor)

    assert client.get(ACCEPTANCES).status_code == 403


def test_the_operator_can_add_a_reader(operator_client: Client, policies) -> None:
    response = operator_client.post(
        "/admin/accounts/user/add/",
        {
            "email": "frank@example.com",
            "display_name": "Frank Reader",
            "password1": "a perfectly fine passphrase",
            "password2": "a perfectly fine passphrase",
        },
    )

    assert response.status_code == 302
    frank = User.objects.get(email="frank@example.com")
    assert frank.display_name_key == "frank reader"
    assert frank.password.startswith("argon2")


def test_the_operator_can_open_a_reader(operator_client: Client, alice) -> None:
    response = operator_client.get(f"/admin/accounts/user/{alice.pk}/change/")

    assert response.status_code == 200
    assert 'value="Alice Reader"' in page_text(response)
