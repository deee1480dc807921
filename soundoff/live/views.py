"""The stream's URL, as Django sees it.

The gateway (soundoff.asgi) answers /live/ itself, before Django; the URL
is here so that templates can name it, and so that a page served by a plain
WSGI server (a test's live server, an old deployment) learns that live
updates are not served here. It says so as a well-formed event stream, so
the browser logs no error and the page shows its polite note.
"""

from django.http import HttpRequest, HttpResponse


def stream_not_served(request: HttpRequest, thread_id: int | None = None) -> HttpResponse:
    return HttpResponse(
        b": Live updates are served by soundoff.asgi:application (as bin/run starts it).\n"
        b"retry: 3600000\n\nevent: unavailable\ndata: {}\n\n",
        content_type="text/event-stream; charset=utf-8",
        headers={"Cache-Control": "no-store"},
    )
