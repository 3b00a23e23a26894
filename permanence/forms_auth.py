"""The sign-in and change-password forms in GOV.UK style."""

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Size, Submit
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator

from permanence.sso import sso_enabled


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": "Enter a correct username and password. Both are case-sensitive.",
        "inactive": "This account is inactive.",
    }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        username = self.fields["username"]
        username.error_messages["required"] = "Enter your username"
        # Django sets the field's max_length after building it, so nothing checks the length and
        # an over-long name reached the database (and failed there) when the attempt was logged.
        username.validators.append(
            MaxLengthValidator(
                username.max_length,
                message=f"Username must be {username.max_length} characters or fewer",
            )
        )
        self.fields["password"].error_messages["required"] = "Enter your password"
        # Which ways in the sign-in page offers (permanence/sso.py).
        self.sso_enabled = sso_enabled()
        self.password_enabled = settings.PASSWORD_SIGN_IN_ENABLED
        self.helper = FormHelper()
        self.helper.form_tag = False  # the page's template holds the <form>
        self.helper.label_size = Size.SMALL
        self.helper.layout = Layout(
            Field.text("username", field_width=20, autocomplete="username", spellcheck="false"),
            Field.text("password", field_width=20, autocomplete="current-password"),
            Submit("submit", "Sign in"),
        )

    def clean(self):
        if not self.password_enabled:
            raise ValidationError(
                "Sign in with your council account: signing in with a password is switched off."
            )
        return super().clean()


class ChangePasswordForm(PasswordChangeForm):
    """Current password, then the new one twice; the password rules' messages sit beside it."""

    error_messages = {
        "password_mismatch": "Enter the same new password in both boxes",
        "password_incorrect": "Your current password is not right. Enter it again.",
    }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        fields = self.fields
        fields["old_password"].label = "Current password"
        fields["old_password"].error_messages["required"] = "Enter your current password"
        fields["new_password1"].label = "New password"
        fields["new_password1"].help_text = (
            "Use at least 12 characters. Three or four random words together work well. "
            "Do not use your username, your name or a password you use elsewhere."
        )
        fields["new_password1"].error_messages["required"] = "Enter a new password"
        fields["new_password2"].label = "New password again"
        fields["new_password2"].help_text = ""
        fields["new_password2"].error_messages["required"] = "Enter the new password again"
        self.helper = FormHelper()
        self.helper.form_tag = False  # the page's template holds the <form>
        self.helper.label_size = Size.SMALL
        self.helper.layout = Layout(
            Field.text("old_password", field_width=20, autocomplete="current-password"),
            Field.text("new_password1", field_width=20, autocomplete="new-password"),
            Field.text("new_password2", field_width=20, autocomplete="new-password"),
            Submit("submit", "Change password"),
        )

    def clean(self):
        # Django puts the password rules' messages on the second box; they belong beside the
        # box where the password was chosen.
        self.validate_passwords("new_password1", "new_password2")
        new = self.cleaned_data.get("new_password1")
        if new and new == self.cleaned_data.get("old_password"):
            self.add_error(
                "new_password1",
                ValidationError("Your new password must be different from your current one"),
            )
        elif "new_password1" not in self.errors:
            self.validate_password_for_user(self.user, "new_password1")
        return self.cleaned_data
