"""Password rules shared by request validation and the services."""

MIN_PASSWORD_LENGTH = 8


def is_acceptable_password(password: str) -> bool:
    return len(password) >= MIN_PASSWORD_LENGTH
