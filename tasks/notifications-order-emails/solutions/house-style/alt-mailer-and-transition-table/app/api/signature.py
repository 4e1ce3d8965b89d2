"""Dependency: the request body must be signed (hex HMAC-SHA256) with the shared secret."""

import hashlib
import hmac

from fastapi import Header, Request

from app.api.errors import raise_for
from app.core.config import get_settings
from app.domain.exceptions import InvalidSignatureError


def body_signature(body: bytes, secret: str) -> str:
    return hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


async def signed_by_warehouse(request: Request, x_signature: str = Header("")) -> None:
    expected = body_signature(await request.body(), get_settings().webhook_secret)
    if not hmac.compare_digest(expected.encode(), x_signature.encode()):
        raise_for(InvalidSignatureError())
