"""Webhook signature check, kept free of any web framework."""

import hashlib
import hmac

from app.core.result import Result, failure, success
from app.domain.exceptions import InvalidSignatureError


def check_signature(
    body: bytes, signature: str | None, secret: str
) -> Result[bytes, InvalidSignatureError]:
    expected = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    if signature is None or not hmac.compare_digest(expected.encode(), signature.encode()):
        return failure(InvalidSignatureError())
    return success(body)
