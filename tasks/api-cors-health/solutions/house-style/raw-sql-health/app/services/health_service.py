"""Readiness checks for the load balancer: plain functions over a Session, no web framework."""

import logging

from sqlalchemy import text
from sqlalchemy.orm import Session

from app.core.result import Result, failure, success
from app.domain.exceptions import DatabaseUnavailableError

logger = logging.getLogger(__name__)


def check_database(db: Session) -> Result[None, DatabaseUnavailableError]:
    """Count the users through `db`, proving the schema is there and not only the
    connection; any error means the database is unavailable."""
    try:
        db.execute(text("SELECT COUNT(*) FROM users")).scalar_one()
    except Exception:  # a health check reports every failure, it never raises
        logger.warning("database health check failed", exc_info=True)
        return failure(DatabaseUnavailableError())
    return success(None)
