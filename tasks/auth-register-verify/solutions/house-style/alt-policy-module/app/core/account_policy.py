"""Account policy shared by the request schemas and the services."""

from datetime import timedelta

MIN_PASSWORD_LENGTH = 8
VERIFICATION_TOKEN_LIFETIME = timedelta(hours=24)


def canonical_email(address: str) -> str:
    """`"  Alice@Example.COM "` -> `"alice@example.com"`: how every email is stored."""
    return address.strip().lower()
