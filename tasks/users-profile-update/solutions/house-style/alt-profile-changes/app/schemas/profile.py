from pydantic import BaseModel, Field

from app.schemas.user import UserOut


class ProfileUpdateIn(BaseModel):
    display_name: str | None = None
    email: str | None = None


class ProfileOut(UserOut):
    display_name: str | None = Field(default=None, validation_alias="full_name")
