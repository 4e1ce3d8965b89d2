"""FastAPI dependencies: database session, current user, integrations."""

from collections.abc import Iterator

from fastapi import Depends, Header, HTTPException
from sqlalchemy.orm import Session

from app.core.result import Success
from app.db import get_sessionmaker
from app.integrations import email as email_integration
from app.integrations import payments as payments_integration
from app.models.user import User
from app.services.account_service import AccountService

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


def get_current_user(
    authorization: str | None = Header(None),
    db: Session = Depends(get_db),
) -> User:
    """The user owning a valid `Authorization: Bearer <token>` access token, else 401."""
    raw_token = bearer_token(authorization)
    if raw_token is None:
        raise _not_authenticated()
    match AccountService(db).authenticate(raw_token):
        case Success(value=user):
            return user
        case _:
            raise _not_authenticated()


def get_email_sender() -> email_integration.EmailSender:
    return email_integration.get_email_sender()


def get_payment_gateway() -> payments_integration.PaymentGateway:
    return payments_integration.get_payment_gateway()
