"""/accounts/policies/accept/ and accept_policies: accepting each new version once."""

import pytest
from django.db import IntegrityError, transaction
from django.test import Client
from django.utils import timezone

from soundoff.accounts import services
from soundoff.accounts.models import PolicyAcceptance, PolicyVersion
from soundoff.accounts.queries import policies_awaiting
from testkit.at_once import run_at_once
from testkit.pages import page_text

URL = "/accounts/policies/accept/"


@pytest.fixture
def terms_v2(policies) -> PolicyVersion:
    return PolicyVersion.objects.create(
        kind="terms",
        version=2,
        title="Terms of Service",
        body="Version two of the terms.",
        summary_of_changes="Rule 3 now covers slurs in usernames.",
        published_at=timezone.now(),
    )


def _acceptances(user, document: PolicyVersion) -> int:
    return PolicyAcceptance.objects.filter(user=user, document=document).count()


def test_a_reader_who_accepted_everything_awaits_nothing(alice) -> None:
    assert policies_awaiting(alice) == []


def test_a_newcomer_awaits_both_documents(newcomer) -> None:
    assert sorted((d.kind, d.version) for d in policies_awaiting(newcomer)) == [
        ("privacy", 1),
        ("terms", 1),
    ]


def test_publishing_a_new_version_makes_it_await_acceptance(alice, terms_v2) -> None:
    assert policies_awaiting(alice) == [terms_v2]


def test_the_page_lists_what_awaits_with_what_changed(client: Client, alice, terms_v2) -> None:
    client.force_login(alice)

    response = client.get(URL)

    assert response.status_code == 200
    page = page_text(response)
    assert 'href="/policies/terms/v2/"' in page
    assert "Rule 3 now covers slurs in usernames." in page
    assert "/policies/privacy/v1/" not in page


def test_accepting_records_the_new_version_once(client: Client, alice, terms_v2) -> None:
    client.force_login(alice)

    response = client.post(URL, {"accept_policies": "on", "next": "/posts/water-main/"})

    assert response.status_code == 302
    assert response["Location"] == "/posts/water-main/"
    assert _acceptances(alice, terms_v2) == 1
    assert policies_awaiting(alice) == []


def test_accepting_twice_records_it_once(client: Client, alice, terms_v2) -> None:
    client.force_login(alice)

    client.post(URL, {"accept_policies": "on"})
    second = client.post(URL, {"accept_policies": "on"})

    assert second.status_code == 302
    assert _acceptances(alice, terms_v2) == 1


def test_it_refuses_without_the_box_ticked(client: Client, alice, terms_v2) -> None:
    client.force_login(alice)

    response = client.post(URL, {"next": "/posts/water-main/"})

    assert response.status_code == 400
    page = page_text(response)
    assert "Tick the box to accept, or go back." in page
    assert 'value="/posts/water-main/"' in page
    assert _acceptances(alice, terms_v2) == 0


def test_an_empty_post_is_refused_not_ignored(client: Client, alice, terms_v2) -> None:
    client.force_login(alice)

    response = client.post(URL, {})

    assert response.status_code == 400
    assert _acceptances(alice, terms_v2) == 0


def test_with_nothing_awaiting_it_sends_the_reader_on(client: Client, alice) -> None:
    client.force_login(alice)

    response = client.get(URL, {"next": "/posts/water-main/"})

    assert response.status_code == 302
    assert response["Location"] == "/posts/water-main/"


def test_a_logged_out_visitor_is_sent_to_log_in(client: Client, terms_v2) -> None:
    response = client.post(URL, {"accept_policies": "on"})

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert not PolicyAcceptance.objects.filter(document=terms_v2).exists()


def test_two_requests_racing_with_the_same_list_record_one_row(alice, terms_v2) -> None:
    # Both requests computed "awaiting" before either wrote.
    awaiting = policies_awaiting(alice)

    services.accept_policies(alice, documents=awaiting)
    services.accept_policies(alice, documents=awaiting)

    assert _acceptances(alice, terms_v2) == 1


def test_accept_policies_ignores_an_unpublished_draft(alice, policies) -> None:
    draft = PolicyVersion.objects.create(
        kind="privacy", version=2, title="Privacy Policy", body="Draft.", published_at=None
    )

    services.accept_policies(alice, documents=[draft])

    assert _acceptances(alice, draft) == 0


def test_the_database_refuses_a_second_row_for_the_same_version(alice, terms_v2) -> None:
    PolicyAcceptance.objects.create(user=alice, document=terms_v2)

    with pytest.raises(IntegrityError), transaction.atomic():
        PolicyAcceptance.objects.create(user=alice, document=terms_v2)

    assert _acceptances(alice, terms_v2) == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_acceptances_in_separate_connections_record_one_row(alice, terms_v2) -> None:
    awaiting = policies_awaiting(alice)
    outcomes = run_at_once([lambda: services.accept_policies(alice, documents=awaiting)] * 4)
    assert [outcome for outcome in outcomes if isinstance(outcome, Exception)] == []
    assert _acceptances(alice, terms_v2) == 1
