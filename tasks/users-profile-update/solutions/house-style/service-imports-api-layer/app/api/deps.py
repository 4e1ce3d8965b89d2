"""FastAPI dependencies: database session, current user, integrations."""

from collections.abc import Iterator

from fastapi import Depends, Header, HTTPException
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.clock import utcnow
from app.core.security import hash_token
from app.db import get_sessionmaker
from app.integrations import email as email_integration
from app.integrations import payments as payments_integration
from app.models.token import TOKEN_KIND_ACCESS, Token
from app.models.user import User

BEARER_SCHEME = "bearer"
NOT_AUTHENTICATED = "not_authenticated"


def get_db() -> Iterator[Session]:
    db = get_sessionmaker()()
    try:
        yield db
    finally:
        db.close()


def _not_authenticated() -> HTTPException:
    return HTTPException(
        status_code=401,
        detail=NOT_AUTHENTICATED,
        headers={"WWW-Authenticate": "Bearer"},
    )


def bearer_token(authorization: str | None) -> str | None:
    """The raw token of an `Authorization: Bearer <token>` header, None if there is none."""
    if not authorization:
        return None
    scheme, _, raw_token = authorization.partition(" ")
    raw_token = raw_token.strip()
    if scheme.lower() != BEARER_SCHEME or not raw_token:
        return None
    return raw_token


def find_access_token(db: Session, raw_token: str) -> Token | None:
    """The valid (not revoked, not expired) access token whose raw value is `raw_token`."""
    return db.scalars(
        select(Token).where(
            Token.token_hash == hash_token(raw_token),
            Token.kind == TOKEN_KIND_ACCESS,
            Token.revoked.is_(False),
            Token.expires_at > utcnow(),
        )
    ).first()


def get_current_user(
    authorization: str | None = Header(None),
    db: Session = Depends(get_db),
) -> User:
    """The user owning a valid `Authorization: Bearer <token>` access token, else 401."""
    raw_token = bearer_token(authorization)
    if raw_token is None:
        raise _not_authenticated()
    token = find_access_token(db, raw_token)
    if token is None:
        raise _not_authenticated()
    user = db.get(User, token.user_id)
    if user is None:
        raise _not_authenticated()
    return user


def get_email_sender() -> email_integration.EmailSender:
    return email_integration.get_email_sender()


def get_payment_gateway() -> payments_integration.PaymentGateway:
    return payments_integration.get_payment_gateway()
