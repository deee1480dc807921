"""The widget's scripts at the site root, the popup, and its account pages.

The account pages (login, registration, password reset…) are the site's
own, mounted a second time under /embed/accounts/ as a second instance of
the ``accounts`` URLconf. Their templates reverse ``accounts:…`` with the
current instance, so every link inside the popup stays inside it; the only
difference is the header that keeps ``window.opener`` (see
``views.keeps_opener``).
"""

from django.urls import URLPattern, include, path

from soundoff.accounts import urls as accounts_urls

from . import views


def _popup_pages() -> list[URLPattern]:
    return [
        path(
            str(pattern.pattern),
            views.keeps_opener(pattern.callback),
            pattern.default_args,
            name=pattern.name,
        )
        for pattern in accounts_urls.urlpatterns
        if isinstance(pattern, URLPattern)
    ]


embed_patterns = [
    path("embed.js", views.script, {"name": "embed.js"}, name="script"),
    path("counts.js", views.script, {"name": "counts.js"}, name="counts_script"),
    path("embed/signin/", views.signin, name="signin"),
]

urlpatterns = [
    path("", include((embed_patterns, "embed"))),
    path(
        "embed/accounts/",
        include((_popup_pages(), accounts_urls.app_name), namespace=views.POPUP_ACCOUNTS),
    ),
]
