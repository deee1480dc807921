from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy
from django.utils.translation import gettext_lazy as _

from . import views
from .forms import LoginForm, QueuedPasswordResetForm
from .rights import views as rights

app_name = "accounts"

urlpatterns = [
    path("register/", views.register, name="register"),
    path(
        "login/",
        auth_views.LoginView.as_view(
            template_name="accounts/login.html",
            authentication_form=LoginForm,
            redirect_authenticated_user=True,
        ),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("profile/", views.profile, name="profile"),
    path("profile/data/", rights.my_data, name="my_data"),
    path("profile/email/", rights.change_email, name="change_email"),
    path("profile/delete/", rights.delete_account, name="delete_account"),
    path("email/send-link/", rights.send_confirmation, name="send_confirmation"),
    path("email/confirm/", rights.confirm_email, name="confirm_email"),
    path("policies/accept/", views.accept, name="accept"),
    path(
        "password/",
        auth_views.PasswordChangeView.as_view(
            template_name="accounts/password_form.html",
            extra_context={"heading": _("Change your password")},
            success_url=reverse_lazy("accounts:profile"),
        ),
        name="password_change",
    ),
    path(
        "password-reset/",
        auth_views.PasswordResetView.as_view(
            template_name="accounts/password_form.html",
            extra_context={"heading": _("Reset your password")},
            form_class=QueuedPasswordResetForm,
            email_template_name="accounts/email/password_reset.txt",
            subject_template_name="accounts/email/password_reset_subject.txt",
            success_url=reverse_lazy("accounts:password_reset_done"),
        ),
        name="password_reset",
    ),
    path(
        "password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(
            template_name="accounts/password_reset_done.html"
        ),
        name="password_reset_done",
    ),
    path(
        "password-reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            template_name="accounts/password_form.html",
            extra_context={"heading": _("Choose a new password")},
            success_url=reverse_lazy("accounts:password_reset_complete"),
        ),
        name="password_reset_confirm",
    ),
    path(
        "password-reset/done/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="accounts/password_reset_complete.html"
        ),
        name="password_reset_complete",
    ),
]
