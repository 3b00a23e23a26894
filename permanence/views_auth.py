"""Changing one's own password; signing in is Django's LoginView with our form (urls.py)."""

from __future__ import annotations

from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.http import HttpResponseRedirect

from permanence import accounts
from permanence.forms_auth import ChangePasswordForm


class PasswordChangeView(auth_views.PasswordChangeView):
    """The signed-in user changes their own password; their other sessions end, this one stays."""

    form_class = ChangePasswordForm
    template_name = "registration/password_change_form.html"

    def form_valid(self, form):
        user = self.request.user
        accounts.user_password_change(
            user=user, new_password=form.cleaned_data["new_password1"], by=user
        )
        # The session hash follows the password: every other session now fails its check.
        update_session_auth_hash(self.request, user)
        return HttpResponseRedirect(self.get_success_url())


class PasswordChangeDoneView(auth_views.PasswordChangeDoneView):
    template_name = "registration/password_change_done.html"
