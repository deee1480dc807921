"""ASGI entry point: pages (WSGI, in threads) and live streams on one origin.

bin/run serves this with granian. See soundoff.live.gateway for why pages
stay on Django's WSGI handler inside it.
"""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "soundoff.settings")

pages = get_wsgi_application()

from soundoff.live.gateway import Gateway  # noqa: E402 - needs the apps loaded

application = Gateway(pages)
