"""Signed callbacks: hex HMAC-SHA256 of the raw request body with a shared secret."""

import hashlib
import hmac


def sign_payload(payload: bytes, secret: str) -> str:
    """The hex HMAC-SHA256 digest of `payload` keyed with `secret`."""
    return hmac.new(secret.encode("utf-8"), payload, hashlib.sha256).hexdigest()


def verify_signature(payload: bytes, signature: str | None, secret: str) -> bool:
    """True if `signature` is the signature of `payload`, compared in constant time."""
    if not signature:
        return False
    expected = sign_payload(payload, secret)
    return hmac.compare_digest(expected.encode("ascii"), signature.encode("utf-8"))
