"""The stream's URL, as Django sees it.

The ASGI gateway (soundoff.asgi) answers /live/ itself, before Django; the
URL is here so that templates can name it, and so that pages served by a
plain WSGI server say why the page's live updates are paused.
"""

from django.http import HttpRequest, HttpResponse


def stream_not_served(request: HttpRequest, thread_id: int) -> HttpResponse:
    return HttpResponse(
        "Live updates are served by the ASGI gateway (soundoff.asgi:application, as bin/run "
        "starts it); this server runs the WSGI application only.",
        status=503,
        content_type="text/plain; charset=utf-8",
        headers={"Retry-After": "60"},
    )
