"""Pages and the API without the live streams, for any WSGI server (bench/ measures it)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "soundoff.settings")

application = get_wsgi_application()

from soundoff.checks import require_valid_settings  # noqa: E402 - needs the apps loaded

# As in soundoff.asgi: no management command runs the checks before serving.
require_valid_settings()
