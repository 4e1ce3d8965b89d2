"""FastAPI dependencies: database session, current user, integrations."""

from typing import Generator, Optional

from fastapi import Depends, Header
from sqlalchemy.orm import Session

from app.db import get_sessionmaker
from app.integrations import email as email_integration
from app.integrations import payments as payments_integration
from app.models.token import Token
from app.models.user import User
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


def get_current_token(
    authorization: Optional[str] = Header(None),
    db: Session = Depends(get_db),
) -> Token:
    return AuthService(db).authenticate_bearer_token(authorization)


def get_email_sender() -> email_integration.EmailSender:
    return email_integration.get_email_sender()


def get_payment_gateway() -> payments_integration.PaymentGateway:
    return payments_integration.get_payment_gateway()
