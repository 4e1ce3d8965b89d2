"""A profile update as the user asked for it, checked and normalized."""

import re
from dataclasses import dataclass

from app.core.result import Result, failure, success
from app.domain.exceptions import ValidationFailedError

MAX_DISPLAY_NAME_LENGTH = 80
EMAIL_PATTERN = re.compile(r"[^@]+@[^@]+\.[^@]+")


@dataclass(frozen=True)
class ProfileChanges:
    display_name: str | None = None
    email: str | None = None


def parse_profile_changes(
    display_name: str | None, email: str | None
) -> Result[ProfileChanges, ValidationFailedError]:
    """Trim the display name, normalize the email, and refuse what the profile cannot hold."""
    if display_name is None and email is None:
        return failure(ValidationFailedError("nothing_to_update"))
    if display_name is not None:
        display_name = display_name.strip()
        if not display_name or len(display_name) > MAX_DISPLAY_NAME_LENGTH:
            return failure(ValidationFailedError("invalid_display_name"))
    if email is not None:
        email = email.strip().lower()
        if EMAIL_PATTERN.fullmatch(email) is None:
            return failure(ValidationFailedError("invalid_email"))
    return success(ProfileChanges(display_name=display_name, email=email))
