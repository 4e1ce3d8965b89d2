"""Is the database answering? Checked through the caller's session."""

import logging

from sqlalchemy import literal, select
from sqlalchemy.orm import Session

from app.core.result import Result, failure, success
from app.domain.exceptions import DatabaseUnavailableError

DATABASE_OK = "ok"

log = logging.getLogger(__name__)


def check_database(db: Session) -> Result[str, DatabaseUnavailableError]:
    try:
        answered = db.scalar(select(literal(1)))
    except Exception as exc:  # any failure at all means "not ready"
        log.error("health check: database query failed: %r", exc)
        return failure(DatabaseUnavailableError())
    if answered != 1:
        return failure(DatabaseUnavailableError())
    return success(DATABASE_OK)
