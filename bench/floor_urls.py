"""Soundoff's URLs and the framework floor: a trivial view, served by the same
granian, behind the same middleware. No Soundoff page can be faster."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from soundoff.urls import urlpatterns as soundoff_urlpatterns


def floor(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("bench/floor/", floor), *soundoff_urlpatterns]
