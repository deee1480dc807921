"""Signals accounts sends for other apps to act on.

Receivers are connected in their app's AppConfig.ready(), so accounts never
imports the apps that answer (the importers own unclaimed identities).
"""

from django.dispatch import Signal

# Sent, in the task worker, with ``email`` and ``site_url`` (the site's
# address as the request saw it) when someone registered with the address
# of an identity an import made and nobody has claimed yet.
unclaimed_address_registered = Signal()
