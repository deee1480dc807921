"""Purge client data past its retention now, and keep the worker's hourly
purge scheduled (see soundoff.accounts.retention)."""

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from soundoff.accounts.retention import purge_client_data, schedule_next_purge


class Command(BaseCommand):
    help = (
        "Delete expired sessions and finished background tasks older than "
        "SOUNDOFF_CLIENT_DATA_DAYS, and schedule the task worker's next purge."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        purged = purge_client_data()
        scheduled = schedule_next_purge()
        if options["verbosity"] == 0:
            return
        self.stdout.write(
            f"Purged {purged.sessions} expired sessions and {purged.task_results} task results "
            f"older than {settings.SOUNDOFF_CLIENT_DATA_DAYS} days."
            + (" The next purge is scheduled." if scheduled else "")
        )
