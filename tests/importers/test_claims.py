"""Claiming imported identities: the service and /accounts/claim/."""

import re
from io import StringIO
from types import ModuleType
from urllib.parse import unquote

import pytest
from django.core import mail, signing
from django.core.management import call_command
from django.test import Client
from django.urls import include, path

from soundoff import urls as site_urls
from soundoff.accounts.models import PolicyAcceptance, User
from soundoff.discussion.models import Comment, Reaction, ReactionKind, Thread
from soundoff.importers.claims import (
    ClaimError,
    claim_identity,
    make_token,
    read_token,
    start_claim,
)
from testkit.cast import PASSWORD, make_reader
from testkit.samples import WPComment, WPPost, wxr

NEW_PASSWORD = "a long and unusual passphrase 42"
CONFIRM = "http://testserver/accounts/claim/confirm/"
LINK = re.compile(r"http://testserver(/accounts/claim/confirm/\?token=\S+)")


@pytest.fixture(autouse=True)
def _wired(settings):
    """The claim pages, mounted as soundoff/urls.py mounts them, and tasks
    (the claim e-mail) run at once into Django's test outbox."""
    urlconf = ModuleType("claim_urls")
    urlconf.urlpatterns = [  # type: ignore[attr-defined]
        path("accounts/claim/", include("soundoff.importers.urls")),
        *site_urls.urlpatterns,
    ]
    settings.ROOT_URLCONF = urlconf
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def imported(policies, tmp_path):
    """Ann's two old comments and a reaction-free reply by Ben."""
    post = WPPost(
        1,
        slug="bridge",
        comments=[
            WPComment(1, "Ann's first", author="Ann", email="Ann@Example.com"),
            WPComment(2, "Ben replies", parent=1, author="Ben", email="ben@example.com"),
            WPComment(3, "Ann again", author="Ann", email="ann@example.com"),
        ],
    )
    export = tmp_path / "wp.xml"
    export.write_text(wxr([post]))
    call_command("import_wordpress", str(export), stdout=StringIO(), stderr=StringIO())
    return User.objects.get(email__iexact="ann@example.com")


def _mailed_link(django_capture_on_commit_callbacks, email: str, by=None) -> str:
    with django_capture_on_commit_callbacks(execute=True):
        start_claim(email, by=by, confirm_url=CONFIRM)
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [email]
    return LINK.search(mail.outbox[0].body).group(1)


def _token(link: str) -> str:
    return unquote(link.partition("token=")[2])


def test_a_reader_moves_the_identitys_comments_to_their_account(
    imported, django_capture_on_commit_callbacks
):
    reader = make_reader("Ann Reader", email="ann.new@example.com")
    link = _mailed_link(django_capture_on_commit_callbacks, "ann@example.com", by=reader)
    thread = Thread.objects.get()

    assert claim_identity(reader, token=_token(link)) == reader

    assert set(Comment.objects.filter(author=reader).values_list("body", flat=True)) == {
        "Ann's first",
        "Ann again",
    }
    assert not Comment.objects.filter(author=imported).exists()
    assert Thread.objects.get().version > thread.version


def test_someone_without_an_account_makes_the_identity_theirs(
    imported, django_capture_on_commit_callbacks
):
    link = _mailed_link(django_capture_on_commit_callbacks, "ann@example.com")

    account = claim_identity(None, token=_token(link), password=NEW_PASSWORD)

    assert account == imported
    account.refresh_from_db()
    assert account.is_claimed and account.check_password(NEW_PASSWORD)
    assert Client().login(username="ann@example.com", password=NEW_PASSWORD)


def test_a_claim_confirms_the_address_it_proves(imported, django_capture_on_commit_callbacks):
    assert imported.email_verified_at is None
    link = _mailed_link(django_capture_on_commit_callbacks, "ann@example.com")
    account = claim_identity(None, token=_token(link), password=NEW_PASSWORD)
    account.refresh_from_db()
    assert account.email_verified_at is not None


def test_a_claim_of_another_address_confirms_nothing(imported, django_capture_on_commit_callbacks):
    reader = make_reader("Ann Reader", email="ann.new@example.com", verified=False)
    link = _mailed_link(django_capture_on_commit_callbacks, "ann@example.com", by=reader)
    claim_identity(reader, token=_token(link))
    reader.refresh_from_db()
    assert reader.email_verified_at is None


def test_a_link_asked_for_by_one_reader_does_not_work_for_another(imported):
    asker, other = make_reader(), make_reader()
    token = make_token("ann@example.com", reader=asker)

    with pytest.raises(ClaimError) as raised:
        claim_identity(other, token=token)

    assert raised.value.code == "wrong_account"
    assert not Comment.objects.filter(author=other).exists()


def test_tampered_and_expired_links_are_refused(imported, settings):
    token = make_token("ann@example.com", reader=None)
    with pytest.raises(ClaimError, match="not valid"):
        read_token(("x" if token[0] != "x" else "y") + token[1:])
    forged = signing.TimestampSigner(salt="another.salt").sign_object(
        {"email": "ann@example.com", "reader": None}
    )
    with pytest.raises(ClaimError, match="not valid"):
        read_token(forged)
    settings.SOUNDOFF_CLAIM_MAX_AGE = -1
    with pytest.raises(ClaimError, match="expired"):
        read_token(token)


def test_a_claimed_identity_cannot_be_claimed_twice(imported):
    token = make_token("ann@example.com", reader=None)
    claim_identity(None, token=token, password=NEW_PASSWORD)

    with pytest.raises(ClaimError) as raised:
        claim_identity(None, token=token, password="another passphrase 99")
    assert raised.value.code == "nothing_to_claim"
    imported.refresh_from_db()
    assert imported.check_password(NEW_PASSWORD)


def test_no_mail_for_addresses_without_imported_comments(
    imported, django_capture_on_commit_callbacks
):
    make_reader(email="reg@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        start_claim("nobody@example.com", by=None, confirm_url=CONFIRM)
        start_claim("reg@example.com", by=None, confirm_url=CONFIRM)
    assert mail.outbox == []


def test_claim_mails_to_one_address_are_rate_limited(imported, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(5):
            start_claim("ann@example.com", by=None, confirm_url=CONFIRM)
    assert len(mail.outbox) == 3


def test_a_registered_readers_placeholder_identity_is_claimed_by_logging_in(
    policies, tmp_path, django_capture_on_commit_callbacks
):
    reader = make_reader("Cy", email="cy@example.com", verified=False)
    export = tmp_path / "wp.xml"
    export.write_text(
        wxr([WPPost(1, comments=[WPComment(1, "Old Cy", author="Cy", email="cy@example.com")])])
    )
    call_command("import_wordpress", str(export), stdout=StringIO(), stderr=StringIO())
    token = make_token("cy@example.com", reader=None)

    with pytest.raises(ClaimError) as raised:
        claim_identity(None, token=token, password=NEW_PASSWORD)
    assert raised.value.code == "account_exists"

    claim_identity(reader, token=token)
    assert Comment.objects.get().author == reader
    # The link went to the reader's own address: it confirms it.
    reader.refresh_from_db()
    assert reader.email_verified_at is not None


def test_reactions_move_without_doubling(imported):
    reader = make_reader()
    comment = Comment.objects.get(body="Ben replies")
    Reaction.objects.create(comment=comment, user=imported, kind=ReactionKind.AGREE)
    Reaction.objects.create(comment=comment, user=reader, kind=ReactionKind.AGREE)
    Reaction.objects.create(comment=comment, user=imported, kind=ReactionKind.FUNNY)
    Comment.objects.filter(pk=comment.pk).update(reaction_count=3)

    claim_identity(reader, token=make_token("ann@example.com", reader=reader))

    assert sorted(comment.reactions.values_list("user", "kind")) == [
        (reader.pk, "agree"),
        (reader.pk, "funny"),
    ]
    comment.refresh_from_db()
    assert comment.reaction_count == 2


def test_the_pages_take_a_newcomer_from_request_to_account(
    imported, client, django_capture_on_commit_callbacks
):
    assert client.get("/accounts/claim/").status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/accounts/claim/", {"email": "ann@example.com"})
    assert response.status_code == 200 and b"Check your e-mail" in response.content
    link = LINK.search(mail.outbox[0].body).group(1)

    page = client.get(link)
    assert page.status_code == 200
    assert b"2 comments are waiting" in page.content and b"Ann" in page.content

    refused = client.post(
        link, {"token": _token(link), "password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    )
    assert refused.status_code == 400
    done = client.post(
        link,
        {
            "token": _token(link),
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
            "accept_policies": "on",
        },
    )

    assert done.status_code == 302 and done["Location"] == "/accounts/profile/"
    imported.refresh_from_db()
    assert imported.is_claimed
    assert PolicyAcceptance.objects.filter(user=imported).count() == 2
    assert client.get("/accounts/profile/").status_code == 200


def test_the_pages_move_comments_for_a_logged_in_reader(
    imported, client, django_capture_on_commit_callbacks
):
    reader = make_reader("Ann Now")
    client.force_login(reader)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/accounts/claim/", {"email": "ann@example.com"})
    link = LINK.search(mail.outbox[0].body).group(1)

    client.logout()
    assert client.get(link).status_code == 302  # to the log-in page first
    client.login(username=reader.email, password=PASSWORD)
    assert b"Move them to my account" in client.get(link).content
    response = client.post(link, {"token": _token(link)})

    assert response.status_code == 302
    assert Comment.objects.filter(author=reader).count() == 2


def test_the_page_answers_the_same_for_unknown_addresses(client, policies):
    response = client.post("/accounts/claim/", {"email": "nobody@example.com"})

    assert response.status_code == 200 and b"Check your e-mail" in response.content
    assert mail.outbox == []


def test_a_bad_link_gets_a_clear_page(client, policies):
    response = client.get("/accounts/claim/confirm/?token=forged")

    assert response.status_code == 400 and b"not valid" in response.content
