"""soundoff.accounts.services, called directly as the API and commands call it."""

import pytest

from soundoff import testing
from soundoff.accounts import services
from soundoff.accounts.errors import AccountError, DisplayNameTaken, EmailTaken
from soundoff.accounts.models import AvatarImage, ConductRule, PolicyVersion, User
from soundoff.accounts.queries import current_policies
from soundoff.lib.images import AVATAR_SIZES, process_avatar


def _avatar(photo, colour=(200, 40, 40)):
    return process_avatar(
        photo(colour), max_bytes=2_000_000, max_pixels=16_000_000, max_decode_bytes=64_000_000
    )


class TestRegisterReader:
    def test_it_creates_a_reader_with_the_cleaned_name(self, db) -> None:
        user = services.register_reader(
            email=" Dora@Example.ORG ",
            password=testing.PASSWORD,
            display_name="  Dora\u200b  \u00a0Explorer ",
        )

        user.refresh_from_db()
        assert user.email == "Dora@example.org"
        assert user.display_name == "Dora Explorer"
        assert user.display_name_key == "dora explorer"
        assert user.check_password(testing.PASSWORD)
        assert user.password.startswith("argon2")
        assert not user.is_staff and not user.is_superuser and user.is_active

    def test_it_refuses_an_email_taken_ignoring_case(self, alice) -> None:
        before = User.objects.count()

        with pytest.raises(EmailTaken) as caught:
            services.register_reader(
                email=alice.email.upper(), password=testing.PASSWORD, display_name="Someone New"
            )

        assert caught.value.field == "email"
        assert "already exists" in caught.value.detail
        assert User.objects.count() == before

    @pytest.mark.parametrize(
        "name", ["alice reader", "\uff21lice Reader", "Alice\u200b Reader", "ALICE\u2060 READER"]
    )
    def test_it_refuses_a_display_name_taken_after_normalisation(self, alice, name: str) -> None:
        before = User.objects.count()

        with pytest.raises(DisplayNameTaken) as caught:
            services.register_reader(
                email="new@example.com", password=testing.PASSWORD, display_name=name
            )

        assert caught.value.field == "display_name"
        assert User.objects.count() == before

    def test_it_folds_case_fully_not_just_lowercases(self, policies) -> None:
        # "ß".lower() is "ß" but its case fold is "ss", as German readers expect.
        testing.make_reader("Anna Strauss")

        with pytest.raises(DisplayNameTaken):
            services.register_reader(
                email="anna@example.com", password=testing.PASSWORD, display_name="ANNA STRAUß"
            )

        assert not User.objects.filter(email="anna@example.com").exists()

    def test_it_refuses_an_invalid_display_name(self, db) -> None:
        with pytest.raises(AccountError) as refused:
            services.register_reader(
                email="new@example.com", password=testing.PASSWORD, display_name="\u200bX\u200b"
            )

        assert refused.value.field == "display_name"
        assert not User.objects.filter(email="new@example.com").exists()

    def test_it_writes_nothing_when_a_step_fails(self, policies, monkeypatch) -> None:
        def broken(*args, **kwargs):
            raise RuntimeError("disk full")

        monkeypatch.setattr(services, "accept_policies", broken)
        with pytest.raises(RuntimeError):
            services.register_reader(
                email="new@example.com",
                password=testing.PASSWORD,
                display_name="New Reader",
                accept=current_policies().values(),
            )
        assert not User.objects.filter(email="new@example.com").exists()

    def test_it_does_not_accept_policies_by_itself(self, policies) -> None:
        user = services.register_reader(
            email="new@example.com", password=testing.PASSWORD, display_name="New Reader"
        )

        assert not user.policy_acceptances.exists()


class TestChangeDisplayName:
    def test_it_renames_and_rekeys(self, alice) -> None:
        services.change_display_name(alice, display_name="  Alice\u200b Liddell ")

        alice.refresh_from_db()
        assert (alice.display_name, alice.display_name_key) == ("Alice Liddell", "alice liddell")

    def test_it_frees_the_old_name(self, alice) -> None:
        services.change_display_name(alice, display_name="Alice Liddell")

        carol = services.register_reader(
            email="carol@example.com", password=testing.PASSWORD, display_name="Alice Reader"
        )
        assert carol.display_name == "Alice Reader"

    def test_a_reader_may_recase_their_own_name(self, alice) -> None:
        services.change_display_name(alice, display_name="alice READER")

        alice.refresh_from_db()
        assert alice.display_name == "alice READER"

    def test_it_refuses_another_readers_name_and_changes_nothing(self, alice, bob) -> None:
        with pytest.raises(DisplayNameTaken) as caught:
            services.change_display_name(alice, display_name="\uff42\uff4f\uff42 reader")

        assert caught.value.field == "display_name"
        alice.refresh_from_db()
        assert (alice.display_name, alice.display_name_key) == ("Alice Reader", "alice reader")


class TestAvatars:
    def test_set_avatar_stores_every_size_under_one_digest(self, alice, photo) -> None:
        avatar = _avatar(photo)

        services.set_avatar(alice, avatar=avatar)

        alice.refresh_from_db()
        assert alice.avatar_digest == avatar.digest
        rows = {row.size: bytes(row.data) for row in AvatarImage.objects.filter(user=alice)}
        assert rows == avatar.images
        assert sorted(rows) == sorted(AVATAR_SIZES) == [48, 96, 192]

    def test_set_avatar_replaces_the_previous_picture(self, alice, photo) -> None:
        services.set_avatar(alice, avatar=_avatar(photo, (200, 40, 40)))
        second = _avatar(photo, (40, 40, 200))

        services.set_avatar(alice, avatar=second)

        digests = set(AvatarImage.objects.filter(user=alice).values_list("digest", flat=True))
        assert digests == {second.digest}
        assert AvatarImage.objects.filter(user=alice).count() == len(AVATAR_SIZES)

    def test_set_avatar_leaves_other_readers_alone(self, alice, bob, photo) -> None:
        services.set_avatar(bob, avatar=_avatar(photo, (10, 120, 10)))

        services.set_avatar(alice, avatar=_avatar(photo))

        assert AvatarImage.objects.filter(user=bob).count() == len(AVATAR_SIZES)

    def test_remove_avatar_deletes_the_pictures(self, alice, photo) -> None:
        services.set_avatar(alice, avatar=_avatar(photo))

        services.remove_avatar(alice)

        alice.refresh_from_db()
        assert alice.avatar_digest == ""
        assert not AvatarImage.objects.filter(user=alice).exists()
        assert alice.avatar_url().startswith(f"/avatars/{alice.pk}/initials.svg?name=")

    def test_remove_avatar_without_a_picture_is_harmless(self, alice) -> None:
        services.remove_avatar(alice)

        alice.refresh_from_db()
        assert alice.avatar_digest == ""


class TestDraftNextVersion:
    def test_it_copies_text_and_rules_into_an_unpublished_next_version(self, policies) -> None:
        terms = PolicyVersion.objects.get(kind="terms", version=1)

        draft = services.draft_next_version(terms)

        assert (draft.kind, draft.version, draft.published_at) == ("terms", 2, None)
        assert (draft.title, draft.body, draft.body_html) == (
            terms.title,
            terms.body,
            terms.body_html,
        )
        fields = ("number", "slug", "title", "text", "text_html")
        assert list(draft.rules.values_list(*fields)) == list(terms.rules.values_list(*fields))
        assert terms.rules.count() == ConductRule.objects.filter(terms=terms).count() > 0

    def test_it_numbers_after_the_newest_version_whatever_the_source(self, policies) -> None:
        terms = PolicyVersion.objects.get(kind="terms", version=1)
        services.draft_next_version(terms)

        third = services.draft_next_version(terms)

        assert third.version == 3

    def test_a_privacy_draft_has_no_rules(self, policies) -> None:
        privacy = PolicyVersion.objects.get(kind="privacy", version=1)

        draft = services.draft_next_version(privacy)

        assert (draft.kind, draft.version) == ("privacy", 2)
        assert not draft.rules.exists()

    def test_the_draft_is_not_in_force(self, policies) -> None:
        terms = PolicyVersion.objects.get(kind="terms", version=1)

        services.draft_next_version(terms)

        current = {(v.kind, v.version) for v in PolicyVersion.objects.current()}
        assert current == {("terms", 1), ("privacy", 1)}
