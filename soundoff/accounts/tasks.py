"""Background work for accounts, run by the task worker (manage.py db_worker)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.forms import PasswordResetForm
from django.core.mail import send_mail
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from .language import written_for
from .models import User
from .signals import unclaimed_address_registered


@task
def send_email(*, subject: str, body: str, to: list[str]) -> int:
    """Send one plain-text e-mail. Runs in the worker so a slow or failing
    mail server never holds up a reader's request."""
    return send_mail(subject, body, None, to)


class MailingPasswordResetForm(PasswordResetForm):
    """Finds the accounts of an address and mails each a reset link; used by
    send_password_reset below, so only ever inside the task worker."""

    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, Any],
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        # Django names the site after its domain when django.contrib.sites is
        # not installed; name it as every page does.
        context = {**context, "site_name": settings.SOUNDOFF_SITE_NAME}
        with written_for(context.get("user")):
            subject = "".join(render_to_string(subject_template_name, context).splitlines())
            body = render_to_string(email_template_name, context)
        send_mail(subject, body, None, [to_email])


@task
def send_password_reset(*, email: str, domain: str, use_https: bool) -> None:
    """Mail a reset link to the accounts with ``email``, if there are any.

    The lookup happens here, not in the request, so that the reset page
    answers alike, and in the same time, for every address.
    """
    form = MailingPasswordResetForm({"email": email})
    if form.is_valid():
        form.save(
            domain_override=domain,
            use_https=use_https,
            subject_template_name="accounts/email/password_reset_subject.txt",
            email_template_name="accounts/email/password_reset.txt",
        )


@task
def tell_owner_of_registration(*, email: str, site_url: str) -> None:
    """Someone registered with an address that is already here: tell its owner.

    A reader's account gets a note saying how to log in or reset. An address
    whose comments were imported and not yet claimed belongs to the
    importers: they hear of it through ``unclaimed_address_registered`` and
    mail the claim link instead. ``site_url`` is the site's address as the
    request saw it, e.g. "https://news.example.org".
    """
    owner = User.objects.filter(email__iexact=email).first()
    if owner is None:
        return
    if not owner.is_claimed:
        unclaimed_address_registered.send(sender=User, email=email, site_url=site_url)
        return
    context = {
        "site_name": settings.SOUNDOFF_SITE_NAME,
        "login_url": site_url + reverse("accounts:login"),
        "reset_url": site_url + reverse("accounts:password_reset"),
    }
    with written_for(owner):
        subject = _("Someone tried to register with your address on %(site)s") % {
            "site": settings.SOUNDOFF_SITE_NAME
        }
        body = render_to_string("accounts/email/registration_attempt.txt", context)
    send_mail(subject, body, None, [owner.email])
