"""Pure account rules (no database): how emails are compared and what a password needs."""

import re

MIN_PASSWORD_LENGTH = 8
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")

EMAIL_TAKEN = "email already registered"
INVALID_EMAIL = "invalid email address"


def canonical_email(raw: str | None) -> str:
    """Emails are stored and looked up trimmed and lower-cased."""
    return (raw or "").strip().lower()


def email_is_valid(email: str) -> bool:
    return _EMAIL.match(email) is not None


def weak_password_reason(password: str) -> str | None:
    if len(password) < MIN_PASSWORD_LENGTH:
        return f"password must be at least {MIN_PASSWORD_LENGTH} characters"
    return None


def clean_full_name(raw: str | None) -> str | None:
    return (raw or "").strip() or None
