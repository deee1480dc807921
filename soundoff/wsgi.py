"""WSGI entry point: pages and the API are served here, by granian (see bin/run)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "soundoff.settings")

application = get_wsgi_application()
