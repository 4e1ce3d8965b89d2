"""Rules every account service applies the same way: email normalisation and format,
password strength, and looking a user up by email."""

import re

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models.user import User

MIN_PASSWORD_LENGTH = 8
EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")

EMAIL_TAKEN = "email already registered"
INVALID_EMAIL = "invalid email address"
PASSWORD_TOO_SHORT = f"password must be at least {MIN_PASSWORD_LENGTH} characters"


def normalize_email(email: str) -> str:
    """Emails are compared and stored trimmed and lower-cased."""
    return email.strip().lower()


def is_valid_email(email: str) -> bool:
    """Whether an already normalised email looks like an address."""
    return EMAIL_PATTERN.match(email) is not None


def password_problem(password: str) -> str | None:
    """Why `password` is not acceptable as a new password, or None."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return PASSWORD_TOO_SHORT
    return None


def find_user_by_email(db: Session, email: str) -> User | None:
    """The user with this (normalised) email, if any."""
    return db.scalars(select(User).where(User.email == email)).first()
