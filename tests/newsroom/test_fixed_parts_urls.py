"""An URLconf of another shape, for test_fixed_parts."""

from django.http import HttpResponse
from django.urls import include, path

accounts = ([path("login/", lambda request: HttpResponse(), name="login")], "accounts")
urlpatterns = [path("elsewhere/", include(accounts))]
