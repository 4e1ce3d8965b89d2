from pydantic import BaseModel


class HealthStatus(BaseModel):
    status: str
    database: str


HEALTHY = HealthStatus(status="ok", database="ok")
DATABASE_DOWN = HealthStatus(status="error", database="unavailable")
