import logging

from fastapi import APIRouter, Depends, Response, status
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.api.deps import get_db
from app.schemas.health import HealthOut

logger = logging.getLogger(__name__)

router = APIRouter(tags=["health"])


@router.get(
    "/health",
    response_model=HealthOut,
    responses={503: {"model": HealthOut, "description": "The database is unavailable"}},
)
def health(response: Response, db: Session = Depends(get_db)) -> HealthOut:
    """Readiness: 200 when the database answers a query, 503 when it does not."""
    try:
        db.execute(select(1)).scalar_one()
    except Exception:  # a health check reports every failure, it never raises
        logger.warning("database health check failed", exc_info=True)
        response.status_code = status.HTTP_503_SERVICE_UNAVAILABLE
        return HealthOut(status="error", database="unavailable")
    return HealthOut(status="ok", database="ok")
