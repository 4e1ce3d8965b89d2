"""Readiness checks for the load balancer: plain functions over a Session, no web framework."""

import logging

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.result import Result, failure, success
from app.domain.exceptions import DatabaseUnavailableError

logger = logging.getLogger(__name__)


def check_database(db: Session) -> Result[None, DatabaseUnavailableError]:
    """Run a trivial query through `db`; any error means the database is unavailable."""
    try:
        db.execute(select(1)).scalar_one()
    except Exception:  # a health check reports every failure, it never raises
        logger.warning("database health check failed", exc_info=True)
        return failure(DatabaseUnavailableError())
    return success(None)
