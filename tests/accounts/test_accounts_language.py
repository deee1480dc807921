"""Mail in the reader's language: the account keeps the language the reader
registered and last logged in with, and the task worker writes each mail in
it, whoever caused the mail and in whatever language they were reading.
Sent over real SMTP (the ``mailbox`` fixture) by the real worker."""

import email
import email.policy

import pytest
from django.test import Client

from soundoff.accounts.language import language_of
from soundoff.accounts.models import User
from soundoff.discussion.services import post_comment
from soundoff.moderation.decisions import remove_comment
from testkit.cast import CLIENT, PASSWORD, conduct_rule, run_worker

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

SPANISH = {"Accept-Language": "es-ES,es;q=0.9"}
ENGLISH = {"Accept-Language": "en-US,en;q=0.9"}


def _body(message: email.message.EmailMessage) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def _speaks_spanish(user: User) -> User:
    User.objects.filter(pk=user.pk).update(language="es")
    user.refresh_from_db()
    return user


def test_registering_keeps_the_language_the_reader_registered_in(policies, mailbox):
    form = {
        "email": "carla@example.com",
        "display_name": "Carla Lectora",
        "password1": PASSWORD,
        "password2": PASSWORD,
        "accept_policies": "on",
    }
    response = Client().post("/accounts/register/", form, headers=SPANISH)
    assert "Gracias por registrarte" in response.content.decode()
    assert User.objects.get(email="carla@example.com").language == "es"
    # The confirmation mail, written in the request, is in Spanish too.
    run_worker()
    [message] = mailbox.messages
    assert message["Subject"] == "Confirma tu dirección en Soundoff"
    assert "Te damos la bienvenida a Soundoff" in _body(message)


def test_logging_in_brings_the_language_up_to_date(alice):
    assert alice.language == ""
    Client().post(
        "/accounts/login/", {"username": alice.email, "password": PASSWORD}, headers=SPANISH
    )
    alice.refresh_from_db()
    assert alice.language == "es"
    Client().post(
        "/accounts/login/", {"username": alice.email, "password": PASSWORD}, headers=ENGLISH
    )
    alice.refresh_from_db()
    assert alice.language == "en"


def test_a_language_no_longer_offered_falls_back_to_the_site_language(alice, settings):
    alice.language = "es"
    settings.LANGUAGES = [("en", "English")]
    assert language_of(alice) == "en"
    assert language_of(None) == "en"


def test_a_password_reset_asked_for_in_english_is_mailed_in_the_reader_language(alice, mailbox):
    _speaks_spanish(alice)
    Client().post("/accounts/password-reset/", {"email": alice.email}, headers=ENGLISH)
    run_worker()
    [message] = mailbox.messages
    assert message["Subject"] == "Restablece tu contraseña en Soundoff"
    assert "Alguien pidió restablecer la contraseña" in _body(message)


def test_a_reply_mail_is_in_the_recipient_language(alice, bob, thread, mailbox):
    reader = Client()
    reader.force_login(alice)
    reader.post("/accounts/profile/", {"action": "reply-mail", "reply_mail": "on"})
    _speaks_spanish(alice)
    parent = post_comment(thread, author=alice, body="Las tuberías son viejas.", client=CLIENT)
    post_comment(
        thread, author=bob, body="Ours were replaced.", client=CLIENT, parent=parent.comment
    )
    run_worker()
    [message] = mailbox.messages
    assert message["Subject"] == "Una respuesta a tu comentario en «Water main breaks downtown»"
    body = _body(message)
    assert body.startswith("Hola, Alice Reader:")
    assert "Bob Reader escribió:" in body and "Ours were replaced." in body


def test_a_removal_is_told_in_the_author_language_not_the_moderator(
    alice, thread, moderator, mailbox, django_capture_on_commit_callbacks
):
    _speaks_spanish(alice)
    comment = post_comment(thread, author=alice, body="Un insulto.", client=CLIENT).comment
    rule = conduct_rule(2)
    with django_capture_on_commit_callbacks(execute=True):
        remove_comment(comment, by=moderator, rule=rule)
    run_worker()
    [message] = mailbox.messages
    assert message["Subject"] == "Se ha retirado tu comentario"
    assert "incumple la norma 2 de nuestras Normas de conducta" in _body(message)
