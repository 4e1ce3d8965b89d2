"""Readiness checks for the load balancer."""

import logging
from typing import Optional

from sqlalchemy.orm import Session

from app.core.result import Result, failure, success
from app.domain.exceptions import DatabaseUnavailableError
from app.repositories.user_repository import UserRepository

logger = logging.getLogger(__name__)

# No user has id 0, so the lookup always goes to the database (never the identity map).
PROBE_USER_ID = 0


class HealthService:
    def __init__(self, db: Session, users: Optional[UserRepository] = None) -> None:
        self.db = db
        self.users = users or UserRepository(db)

    def check_database(self) -> Result[None, DatabaseUnavailableError]:
        """Run a trivial lookup through the session; any error means the database is down."""
        try:
            self.users.get(PROBE_USER_ID)
        except Exception:  # a health check reports every failure, it never raises
            logger.warning("database health check failed", exc_info=True)
            return failure(DatabaseUnavailableError())
        return success(None)


def check_database(db: Session) -> Result[None, DatabaseUnavailableError]:
    """Whether the database behind `db` answers a query."""
    return HealthService(db).check_database()
