from pydantic import BaseModel, ConfigDict


class ProductImportIn(BaseModel):
    file: str


class RejectedRowOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    line: int
    reason: str


class ProductImportOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    created: int
    updated: int
    rejected: list[RejectedRowOut]
