"""oidc.services.reader_for: which reader a provider account signs in as."""

import pytest

from soundoff.accounts.models import PolicyAcceptance, User
from soundoff.oidc.client import ProviderClaims
from soundoff.oidc.errors import SignInRefused
from soundoff.oidc.models import ProviderIdentity
from soundoff.oidc.services import reader_for
from testkit import cast

ISSUER = "https://id.example.org"


def claims(subject="sub-1", *, email="grace@example.org", verified=True, names=("Grace Hopper",)):
    return ProviderClaims(
        issuer=ISSUER, subject=subject, email=email, email_verified=verified, names=names
    )


def test_a_first_sign_in_creates_a_reader_without_password_or_acceptances(policies):
    grace, created = reader_for(claims())

    assert created
    assert (grace.email, grace.display_name) == ("grace@example.org", "Grace Hopper")
    assert not grace.has_usable_password()
    assert not PolicyAcceptance.objects.filter(user=grace).exists()
    # The provider verified the address: no link to confirm it here.
    assert grace.email_verified_at is not None
    identity = ProviderIdentity.objects.get()
    assert (identity.user, identity.issuer, identity.subject) == (grace, ISSUER, "sub-1")


def test_a_known_subject_finds_its_reader_after_an_address_change(policies):
    grace, _ = reader_for(claims())

    again, created = reader_for(
        claims(email="grace.h@example.org", verified=False, names=("G. H.",))
    )

    assert (again, created) == (grace, False)
    again.refresh_from_db()
    assert (again.email, again.display_name) == ("grace@example.org", "Grace Hopper")
    assert User.objects.count() == 1


def test_the_same_subject_at_another_issuer_is_another_account(policies):
    grace, _ = reader_for(claims())
    other = ProviderClaims(
        issuer="https://other.example.org",
        subject="sub-1",
        email="someone@example.org",
        email_verified=True,
        names=("Someone Else",),
    )

    assert reader_for(other)[0] != grace


def test_a_verified_address_links_the_existing_reader_whatever_its_case(alice):
    alice.email_verified_at = None
    alice.save()
    linked = reader_for(claims(email=alice.email.upper(), names=("Alice Elsewhere",)))

    assert linked == (alice, False)
    assert ProviderIdentity.objects.get().user == alice
    alice.refresh_from_db()
    assert alice.display_name == "Alice Reader"
    assert alice.check_password(cast.PASSWORD)
    assert alice.email_verified_at is not None


@pytest.mark.parametrize("email", ["alice", "new"])
def test_an_unverified_address_is_refused_and_changes_nothing(alice, email):
    address = alice.email if email == "alice" else "new@example.org"

    with pytest.raises(SignInRefused) as refusal:
        reader_for(claims(email=address, verified=False))

    assert refusal.value.code == "email_not_verified"
    assert "has not confirmed an e-mail address" in refusal.value.detail
    assert list(User.objects.all()) == [alice]
    assert not ProviderIdentity.objects.exists()


def test_closed_and_unclaimed_accounts_are_refused(policies):
    closed = cast.make_reader("Closed Account", is_active=False)
    unclaimed = cast.make_reader("Imported Author", is_claimed=False)

    with pytest.raises(SignInRefused) as refusal:
        reader_for(claims("closed", email=closed.email))
    assert refusal.value.code == "inactive"
    with pytest.raises(SignInRefused) as refusal:
        reader_for(claims("imported", email=unclaimed.email))
    assert refusal.value.code == "unclaimed"
    assert "/accounts/claim/" in refusal.value.detail
    assert not ProviderIdentity.objects.exists()


def test_a_taken_display_name_gets_the_next_free_number(alice):
    cast.make_reader("ALICE READER 2")

    reader, _ = reader_for(claims(names=("alice reader",)))

    assert reader.display_name == "alice reader 3"


def test_names_the_rules_refuse_give_way_to_the_next(policies):
    reader, _ = reader_for(claims(names=("!!", "x", "Grace Hopper")))

    assert reader.display_name == "Grace Hopper"


def test_a_long_name_is_cut_and_still_numbered_within_the_limit(policies):
    long_name = "Grace Brewster Murray Hopper of the United States Navy"
    first, _ = reader_for(claims("a", email="a@example.org", names=(long_name,)))
    second, _ = reader_for(claims("b", email="b@example.org", names=(long_name,)))

    assert first.display_name == long_name[:40]
    assert second.display_name == long_name[:38].rstrip() + " 2"
    assert len(second.display_name) <= 40


def test_without_any_usable_name_the_reader_is_called_reader(policies):
    reader, _ = reader_for(claims(names=()))

    assert reader.display_name == "Reader"


def test_claims_are_read_as_the_provider_sends_them():
    read = ProviderClaims.from_claims(
        ISSUER,
        {
            "sub": 42,
            "email": " ada@example.org ",
            "email_verified": "true",
            "name": "",
            "preferred_username": "ada",
            "given_name": "Ada",
            "family_name": "Lovelace",
            "nickname": ["not", "a", "string"],
        },
    )

    assert read.subject == "42"
    assert (read.email, read.email_verified) == ("ada@example.org", True)
    assert read.names == ("ada", "Ada Lovelace", "ada")


@pytest.mark.parametrize(
    "flags",
    [{}, {"email_verified": False}, {"email_verified": "yes"}, {"email_verified": 1}],
)
def test_only_a_true_email_verified_counts(flags):
    read = ProviderClaims.from_claims(ISSUER, {"sub": "s", "email": "a@example.org", **flags})

    assert read.email_verified is False


def test_names_of_the_wrong_type_are_passed_over():
    read = ProviderClaims.from_claims(
        ISSUER, {"sub": "s", "name": 7, "given_name": ["Ada"], "family_name": "Lovelace"}
    )

    assert read.names == ("Lovelace",)


def test_a_verified_flag_without_an_address_counts_for_nothing():
    read = ProviderClaims.from_claims(ISSUER, {"sub": "s", "email_verified": True})

    assert (read.email, read.email_verified) == ("", False)
