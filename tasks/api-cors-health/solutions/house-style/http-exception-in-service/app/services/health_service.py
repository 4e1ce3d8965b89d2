"""Readiness checks for the load balancer."""

import logging

from fastapi import HTTPException, status
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.result import Result, success
from app.domain.exceptions import DatabaseUnavailableError

logger = logging.getLogger(__name__)


def check_database(db: Session) -> Result[None, DatabaseUnavailableError]:
    """Run a trivial query through `db`; answer 503 if the database does not respond."""
    try:
        db.execute(select(1)).scalar_one()
    except Exception as exc:
        logger.warning("database health check failed", exc_info=True)
        raise HTTPException(
            status_code=status.HTTP_503_SERVICE_UNAVAILABLE,
            detail={"status": "error", "database": "unavailable"},
        ) from exc
    return success(None)
