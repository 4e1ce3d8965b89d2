from pydantic import BaseModel, Field

from app.core.password_policy import MIN_PASSWORD_LENGTH


class ForgotPasswordIn(BaseModel):
    email: str


class AcceptedOut(BaseModel):
    status: str = "accepted"


class ResetPasswordIn(BaseModel):
    token: str
    new_password: str = Field(min_length=MIN_PASSWORD_LENGTH)
