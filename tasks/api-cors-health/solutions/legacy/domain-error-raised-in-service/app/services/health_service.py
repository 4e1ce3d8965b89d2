"""Readiness checks for the load balancer."""

import logging

from sqlalchemy import select
from sqlalchemy.orm import Session

logger = logging.getLogger(__name__)


class DatabaseUnavailable(Exception):
    """The database did not answer the health check query."""


def check_database(db: Session) -> None:
    """Run a trivial query through `db`; raise DatabaseUnavailable if it fails for any reason."""
    try:
        db.execute(select(1)).scalar_one()
    except Exception as exc:
        logger.warning("database health check failed", exc_info=True)
        raise DatabaseUnavailable("database unavailable") from exc
