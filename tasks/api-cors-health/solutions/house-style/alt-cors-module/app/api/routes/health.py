from fastapi import APIRouter, Depends
from fastapi.responses import JSONResponse
from sqlalchemy.orm import Session

from app.api.deps import get_db
from app.core.result import Failure, Success
from app.schemas.health import DATABASE_DOWN, HEALTHY, HealthStatus
from app.services.health_service import check_database

router = APIRouter(tags=["health"])


@router.get("/health", response_model=HealthStatus, responses={503: {"model": HealthStatus}})
def health(db: Session = Depends(get_db)) -> HealthStatus | JSONResponse:
    match check_database(db):
        case Success():
            return HEALTHY
        case Failure(error=error):
            return JSONResponse(status_code=error.status_code, content=DATABASE_DOWN.model_dump())
