from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict


class RegisterIn(BaseModel):
    email: str
    password: str
    full_name: str | None = None


class LoginIn(BaseModel):
    email: str
    password: str


class RefreshIn(BaseModel):
    refresh_token: str


class TokenPairOut(BaseModel):
    access_token: str
    refresh_token: str
    token_type: Literal["bearer"] = "bearer"
    expires_in: int


class SessionTokenOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    kind: str
    created_at: datetime
    expires_at: datetime


class PasswordChangeIn(BaseModel):
    current_password: str
    new_password: str


class PasswordResetRequestIn(BaseModel):
    email: str


class PasswordResetConfirmIn(BaseModel):
    token: str
    new_password: str


class EmailVerificationIn(BaseModel):
    token: str


class AcceptedOut(BaseModel):
    status: Literal["accepted"] = "accepted"
