"""Readiness checks for the load balancer: plain functions over a Session, no web framework."""

from sqlalchemy.orm import Session

from app.core.result import Result, failure, success
from app.domain.exceptions import DatabaseUnavailableError


def check_database(db: Session) -> Result[None, DatabaseUnavailableError]:
    """An active session from the pool means the database is up."""
    if not db.is_active:
        return failure(DatabaseUnavailableError())
    return success(None)
