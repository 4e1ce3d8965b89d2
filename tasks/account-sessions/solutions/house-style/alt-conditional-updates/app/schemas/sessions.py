from datetime import datetime

from pydantic import BaseModel


class SessionItem(BaseModel):
    id: int
    created_at: datetime
    expires_at: datetime
    current: bool


class RevokeOthersResult(BaseModel):
    revoked: int
