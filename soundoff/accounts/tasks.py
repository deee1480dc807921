"""Background work for accounts, run by the task worker (manage.py db_worker)."""

from django.core.mail import send_mail
from django.tasks import task


@task
def send_email(*, subject: str, body: str, to: list[str]) -> int:
    """Send one plain-text e-mail. Runs in the worker so a slow or failing
    mail server never holds up a reader's request."""
    return send_mail(subject, body, None, to)
