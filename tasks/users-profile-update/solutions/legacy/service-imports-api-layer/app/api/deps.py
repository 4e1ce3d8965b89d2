"""FastAPI dependencies: database session, current user, integrations."""

from typing import Generator, Optional

from fastapi import Depends, Header
from sqlalchemy.orm import Session

from app.core.security import hash_token
from app.db import get_sessionmaker
from app.integrations import email as email_integration
from app.integrations import payments as payments_integration
from app.models.token import TOKEN_KIND_ACCESS, Token
from app.models.user import User
from app.repositories.token_repository import TokenRepository
from app.services.auth_service import AuthService


def get_db() -> Generator[Session, None, None]:
    db = get_sessionmaker()()
    try:
        yield db
    finally:
        db.close()


def get_current_user(
    authorization: Optional[str] = Header(None),
    db: Session = Depends(get_db),
) -> User:
    return AuthService(db).authenticate_bearer(authorization)


def get_bearer_token(authorization: Optional[str] = Header(None)) -> str:
    """The raw token of the request's `Authorization: Bearer <token>` header ("" if none)."""
    scheme, _, raw_token = (authorization or "").partition(" ")
    return raw_token.strip() if scheme.lower() == "bearer" else ""


def find_access_token(db: Session, raw_token: str) -> Optional[Token]:
    """The valid access token row of a raw bearer token, as get_current_user accepts it."""
    return TokenRepository(db).get_valid(hash_token(raw_token), TOKEN_KIND_ACCESS)


def get_email_sender() -> email_integration.EmailSender:
    return email_integration.get_email_sender()


def get_payment_gateway() -> payments_integration.PaymentGateway:
    return payments_integration.get_payment_gateway()
