from django.urls import path

from . import views

app_name = "importers"

urlpatterns = [
    path("", views.claim, name="claim"),
    path("confirm/", views.claim_confirm, name="claim_confirm"),
]
