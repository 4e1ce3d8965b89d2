from typing import Literal

from pydantic import BaseModel, Field

MIN_PASSWORD_LENGTH = 8


class PasswordResetRequestIn(BaseModel):
    email: str


class PasswordResetAccepted(BaseModel):
    status: Literal["accepted"] = "accepted"


class PasswordResetConfirmIn(BaseModel):
    token: str
    new_password: str = Field(min_length=MIN_PASSWORD_LENGTH)
