"""soundoff.accounts.services, called directly as the API and commands call it."""

from functools import partial

import pytest
from django.core import mail

from soundoff.accounts import services
from soundoff.accounts.errors import AccountError, DisplayNameTaken
from soundoff.accounts.models import AvatarImage, ConductRule, PolicyVersion, User
from soundoff.accounts.queries import current_policies
from soundoff.lib.images import AVATAR_SIZES, process_avatar
from testkit import cast

register = partial(services.register_reader, site_url="http://testserver")


def _avatar(photo, colour=(200, 40, 40)):
    return process_avatar(
        photo(colour), max_bytes=2_000_000, max_pixels=16_000_000, max_decode_bytes=64_000_000
    )


class TestRegisterReader:
    def test_it_creates_a_reader_with_the_cleaned_name(self, db) -> None:
        user = register(
            email=" Dora@Example.ORG ",
            password=cast.PASSWORD,
            display_name="  Dora\u200b  \u00a0Explorer ",
        )

        user.refresh_from_db()
        assert user.email == "Dora@example.org"
        assert user.display_name == "Dora Explorer"
        assert user.display_name_key == "dora explorer"
        assert user.check_password(cast.PASSWORD)
        assert user.password.startswith("argon2")
        assert not user.is_staff and not user.is_superuser and user.is_active

    def test_an_email_taken_ignoring_case_creates_nothing_and_tells_its_owner(
        self, alice, settings, django_capture_on_commit_callbacks
    ) -> None:
        settings.TASKS = {
            "default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}
        }
        before = User.objects.count()

        with django_capture_on_commit_callbacks(execute=True):
            result = register(
                email=alice.email.upper(), password=cast.PASSWORD, display_name="Someone New"
            )

        assert result is None
        assert User.objects.count() == before
        [message] = mail.outbox
        assert message.to == [alice.email]
        assert "Someone tried to register" in message.subject
        assert "http://testserver/accounts/login/" in message.body
        assert "http://testserver/accounts/password-reset/" in message.body

    def test_a_taken_name_is_refused_before_the_address_is_looked_at(self, alice, bob) -> None:
        # Names are public; whether an address is registered is not.
        with pytest.raises(DisplayNameTaken):
            register(email=alice.email, password=cast.PASSWORD, display_name="Bob Reader")

    @pytest.mark.parametrize(
        "name", ["alice reader", "\uff21lice Reader", "Alice\u200b Reader", "ALICE\u2060 READER"]
    )
    def test_it_refuses_a_display_name_taken_after_normalisation(self, alice, name: str) -> None:
        before = User.objects.count()

        with pytest.raises(DisplayNameTaken) as caught:
            register(email="new@example.com", password=cast.PASSWORD, display_name=name)

        assert caught.value.field == "display_name"
        assert User.objects.count() == before

    def test_it_folds_case_fully_not_just_lowercases(self, policies) -> None:
        # "ß".lower() is "ß" but its case fold is "ss", as German readers expect.
        cast.make_reader("Anna Strauss")

        with pytest.raises(DisplayNameTaken):
            register(email="anna@example.com", password=cast.PASSWORD, display_name="ANNA STRAUß")

        assert not User.objects.filter(email="anna@example.com").exists()

    def test_it_refuses_an_invalid_display_name(self, db) -> None:
        with pytest.raises(AccountError) as refused:
            register(email="new@example.com", password=cast.PASSWORD, display_name="\u200bX\u200b")

        assert refused.value.field == "display_name"
        assert not User.objects.filter(email="new@example.com").exists()

    def test_it_writes_nothing_when_a_step_fails(self, policies, monkeypatch) -> None:
        def broken(*args, **kwargs):
            raise RuntimeError("disk full")

        monkeypatch.setattr(services, "accept_policies", broken)
        with pytest.raises(RuntimeError):
            register(
                email="new@example.com",
                password=cast.PASSWORD,
                display_name="New Reader",
                accept=current_policies().values(),
            )
        assert not User.objects.filter(email="new@example.com").exists()

    def test_it_does_not_accept_policies_by_itself(self, policies) -> None:
        user = register(email="new@example.com", password=cast.PASSWORD, display_name="New Reader")

        assert not user.policy_acceptances.exists()


class TestChangeDisplayName:
    def test_it_renames_and_rekeys(self, alice) -> None:
        services.change_display_name(alice, display_name="  Alice\u200b Liddell ")

        alice.refresh_from_db()
        assert (alice.display_name, alice.display_name_key) == ("Alice Liddell", "alice liddell")

    def test_it_frees_the_old_name(self, alice) -> None:
        services.change_display_name(alice, display_name="Alice Liddell")

        carol = register(
            email="carol@example.com", password=cast.PASSWORD, display_name="Alice Reader"
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


class TestLookAlikeNames:
    @pytest.mark.parametrize(
        "name",
        [
            "\u0410lice Reader",  # Cyrillic A
            "\u0391lice Reader",  # Greek Alpha
            "Alice R\u0435ader",  # Cyrillic e inside a Latin name
            "A1ice Reader",  # a digit one
        ],
    )
    def test_registering_a_look_alike_of_a_taken_name_is_refused(self, alice, name) -> None:
        with pytest.raises(DisplayNameTaken, match="is already taken"):
            register(email="new@example.com", password=cast.PASSWORD, display_name=name)

        assert not User.objects.filter(email="new@example.com").exists()

    def test_renaming_to_a_look_alike_is_refused(self, alice, bob) -> None:
        with pytest.raises(DisplayNameTaken):
            services.change_display_name(bob, display_name="\u0410lice Reader")

        bob.refresh_from_db()
        assert bob.display_name == "Bob Reader"

    @pytest.mark.parametrize("name", ["José", "Zoë", "李小龍", "Ольга", "Nguyễn Thị Bích"])
    def test_ordinary_accented_names_are_accepted_beside_their_plain_twins(
        self, policies, name
    ) -> None:
        cast.make_reader("Jose")
        cast.make_reader("Zoe")
        cast.make_reader("李小龙")
        cast.make_reader("Olga")
        cast.make_reader("Nguyen Thi Bich")

        user = register(email="new@example.com", password=cast.PASSWORD, display_name=name)

        assert user is not None and user.display_name == name

    def test_a_pile_of_combining_marks_is_refused(self, policies) -> None:
        with pytest.raises(AccountError, match="at most 3 accents") as refused:
            register(
                email="new@example.com",
                password=cast.PASSWORD,
                display_name="Za\u0300\u0301\u0302\u0303\u0304lgo",
            )

        assert refused.value.field == "display_name"


class TestSkeletonMigration:
    def test_the_older_reader_keeps_a_name_and_the_look_alike_is_numbered(self, policies) -> None:
        from importlib import import_module

        from django.apps import apps

        migration = import_module("soundoff.accounts.migrations.0004_display_name_skeleton")
        first = cast.make_reader("Alice Reader")
        second = cast.make_reader("Other Name")
        third = cast.make_reader("Third Name")
        # As the rows were before the skeleton: a Cyrillic look-alike of an
        # older name, accepted by the case-only key.
        User.objects.filter(pk=second.pk).update(
            display_name="\u0410lice Reader", display_name_key="\u0430lice reader"
        )
        for user in (first, second, third):
            User.objects.filter(pk=user.pk).update(display_name_skeleton=f"not yet {user.pk}")

        migration.fill_skeletons(apps, None)

        names = dict(User.objects.values_list("pk", "display_name"))
        assert names[first.pk] == "Alice Reader"
        assert names[second.pk] == "\u0410lice Reader (2)"
        assert names[third.pk] == "Third Name"
        second.refresh_from_db()
        assert second.display_name_skeleton == "alice reader (2)"
        assert second.display_name_key == "\u0430lice reader (2)"
