from typing import Literal

from pydantic import BaseModel, Field, field_validator

from app.core.account_policy import MIN_PASSWORD_LENGTH, canonical_email


class SignUpRequest(BaseModel):
    email: str
    password: str = Field(min_length=MIN_PASSWORD_LENGTH)
    full_name: str | None = None

    @field_validator("email")
    @classmethod
    def _canonical(cls, value: str) -> str:
        return canonical_email(value)


class EmailVerificationRequest(BaseModel):
    token: str


class ResendRequest(BaseModel):
    email: str


class Accepted(BaseModel):
    status: Literal["accepted"] = "accepted"
