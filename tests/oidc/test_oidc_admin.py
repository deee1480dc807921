"""The operator's view of linked provider accounts: read and unlink, never make."""

from html import unescape

from django.test import Client

from soundoff.oidc.models import ProviderIdentity
from testkit import cast

IDENTITIES = "/admin/oidc/provideridentity/"


def test_the_operator_can_see_and_unlink_a_provider_account(alice):
    identity = ProviderIdentity.objects.create(
        user=alice, issuer="https://id.example.org", subject="alice-at-the-ledger"
    )
    operator = Client()
    operator.force_login(cast.make_reader("Site Operator", is_staff=True, is_superuser=True))

    page = unescape(operator.get(IDENTITIES).content.decode())
    assert "Alice Reader" in page and "alice-at-the-ledger" in page
    assert f'href="{IDENTITIES}add/"' not in page
    assert operator.get(f"{IDENTITIES}add/").status_code == 403

    response = operator.post(f"{IDENTITIES}{identity.pk}/delete/", {"post": "yes"})

    assert response.status_code == 302
    assert not ProviderIdentity.objects.exists()
    alice.refresh_from_db()
    assert alice.is_active


def test_a_reader_cannot_see_them(client, alice):
    client.force_login(alice)

    assert client.get(IDENTITIES).status_code == 302
