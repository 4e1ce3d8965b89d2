from typing import Literal

from pydantic import BaseModel


class PasswordResetRequestIn(BaseModel):
    email: str


class PasswordResetAccepted(BaseModel):
    status: Literal["accepted"] = "accepted"


class PasswordResetConfirmIn(BaseModel):
    token: str
    new_password: str
