from pydantic import BaseModel, ConfigDict, computed_field


class UserOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    email: str
    full_name: str | None = None
    is_active: bool
    is_verified: bool


class ProfileUpdate(BaseModel):
    display_name: str | None = None
    email: str | None = None


class ProfileOut(UserOut):
    @computed_field  # type: ignore[prop-decorator]
    @property
    def display_name(self) -> str | None:
        return self.full_name
