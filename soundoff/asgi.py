"""Pages (Django's WSGI handler, in threads) and live streams on one origin.

bin/run serves this with ``granian --interface rsgi``; it is also a plain
ASGI application. See soundoff/live/gateway.py for why pages stay on WSGI.
"""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "soundoff.settings")

pages = get_wsgi_application()

from soundoff.checks import require_valid_settings  # noqa: E402 - needs the apps loaded
from soundoff.live.gateway import Gateway  # noqa: E402 - needs the apps loaded

# The server runs no management command, so nothing else would run the
# settings' checks before the first reader meets a bad one.
require_valid_settings()

application = Gateway(pages)
