"""Password hashing (PBKDF2-SHA256 from the standard library) and opaque tokens."""

import hashlib
import hmac
import secrets

PBKDF2_ALGORITHM = "pbkdf2_sha256"
PBKDF2_ITERATIONS = 100_000
SALT_BYTES = 16
TOKEN_BYTES = 32


def _pbkdf2(password: str, salt: bytes, iterations: int) -> bytes:
    return hashlib.pbkdf2_hmac("sha256", password.encode("utf-8"), salt, iterations)


def hash_password(password: str, *, iterations: int = PBKDF2_ITERATIONS) -> str:
    """Hash as `pbkdf2_sha256$<iterations>$<salt hex>$<hash hex>` with a random salt."""
    salt = secrets.token_bytes(SALT_BYTES)
    digest = _pbkdf2(password, salt, iterations)
    return f"{PBKDF2_ALGORITHM}${iterations}${salt.hex()}${digest.hex()}"


def verify_password(password: str, hashed: str) -> bool:
    """Check a password against a stored hash, using the iterations stored in it."""
    try:
        algorithm, iterations_raw, salt_hex, digest_hex = hashed.split("$")
        iterations = int(iterations_raw)
        salt = bytes.fromhex(salt_hex)
        expected = bytes.fromhex(digest_hex)
    except (AttributeError, ValueError):
        return False
    if algorithm != PBKDF2_ALGORITHM or iterations <= 0:
        return False
    return hmac.compare_digest(_pbkdf2(password, salt, iterations), expected)


def generate_token() -> str:
    """A new random, URL-safe raw token (give it to the client, store only its hash)."""
    return secrets.token_urlsafe(TOKEN_BYTES)


def hash_token(token: str) -> str:
    """SHA-256 hex digest of a raw token, as stored in `Token.token_hash`."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()
