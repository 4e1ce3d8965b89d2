from fastapi import APIRouter, Depends, Response, status
from sqlalchemy.orm import Session

from app.api.deps import get_db
from app.core.result import Failure
from app.schemas.health import HealthOut
from app.services.health_service import check_database

router = APIRouter(tags=["health"])


@router.get(
    "/health",
    response_model=HealthOut,
    responses={503: {"model": HealthOut, "description": "The database is unavailable"}},
)
def health(response: Response, db: Session = Depends(get_db)) -> HealthOut:
    """Readiness: 200 when the database answers a query, 503 when it does not."""
    if isinstance(check_database(db), Failure):
        response.status_code = status.HTTP_503_SERVICE_UNAVAILABLE
        return HealthOut(status="error", database="unavailable")
    return HealthOut(status="ok", database="ok")
