from typing import Literal

from pydantic import BaseModel


class RegisterIn(BaseModel):
    email: str
    password: str
    full_name: str | None = None


class VerifyEmailIn(BaseModel):
    token: str


class ResendVerificationIn(BaseModel):
    email: str


class AcceptedOut(BaseModel):
    status: Literal["accepted"] = "accepted"
