"""Password rules stronger than Django's own: a password must be hard to guess, not just long.

Django's validators accept "Winter2025!!" (long enough, not on its common list, not all digits)
and twelve "a"s. The strength check below estimates how many guesses an attacker would need
(zxcvbn: dictionaries, names, dates, keyboard walks, repeats, l33t) and asks for at least ten
thousand million, zxcvbn's top score. The personal-details check refuses a password that holds
the user's username or name outright, which Django's similarity check misses when the name is
only part of the password.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from zxcvbn import zxcvbn

# zxcvbn refuses longer input (its matching is slow on long strings); the first 72 characters
# decide, so twelve "a"s followed by anything still count as repeats.
_SCORED_LENGTH = 72
_ADVICE = "Three or four random words together, with spaces or dashes between them, work well."


def _personal_details(user) -> list[str]:
    if user is None:
        return []
    values = [
        getattr(user, "username", ""),
        getattr(user, "first_name", ""),
        getattr(user, "last_name", ""),
        (getattr(user, "email", "") or "").split("@")[0],
    ]
    return [v for v in (str(value or "").strip() for value in values) if v]


class StrengthValidator:
    """Refuse a password an attacker could guess in fewer than 10^10 tries."""

    def __init__(self, min_score: int = 4) -> None:
        self.min_score = min_score

    def validate(self, password: str, user=None) -> None:
        result = zxcvbn(password[:_SCORED_LENGTH], user_inputs=_personal_details(user))
        if result["score"] >= self.min_score:
            return
        warning = result["feedback"].get("warning") or ""
        message = "This password is too easy to guess."
        if warning:
            message = f"{message} {warning}"
        raise ValidationError(f"{message} {_ADVICE}", code="password_too_guessable")

    def get_help_text(self) -> str:
        return f"Your password must be hard to guess. {_ADVICE}"


class PersonalDetailsValidator:
    """Refuse a password that contains the user's username, first name, last name or e-mail name."""

    min_length = 3  # "Al" inside a long password gives nothing away

    def validate(self, password: str, user=None) -> None:
        lowered = password.casefold()
        for value in _personal_details(user):
            if len(value) >= self.min_length and value.casefold() in lowered:
                raise ValidationError(
                    "Your password must not contain your username or your name.",
                    code="password_contains_personal_details",
                )

    def get_help_text(self) -> str:
        return "Your password must not contain your username or your name."
