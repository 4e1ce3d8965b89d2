"""Brute-force lockout policy: consecutive failed logins lock an account for a while.

A failure is recorded with one UPDATE computed by the database from the stored values,
so two wrong passwords arriving together both count (no read-modify-write in Python).
"""

from datetime import datetime, timedelta

from sqlalchemy import case, update
from sqlalchemy.orm import Session

from app.models.user import User

LOCK_AFTER_FAILURES = 5
LOCK_FOR = timedelta(minutes=15)


def is_locked(user: User, at: datetime) -> bool:
    return user.locked_until is not None and user.locked_until > at


def record_failure(db: Session, user_id: int, at: datetime) -> None:
    """Count one more consecutive failure; the one reaching the limit locks the account.

    A lock that is still stored has expired (a locked account never gets this far): the
    failure then starts a new series at 1 and the old lock is cleared.
    """
    failures = case(
        (User.locked_until.is_(None), User.failed_login_attempts + 1),
        else_=1,
    )
    lock = case((failures >= LOCK_AFTER_FAILURES, at + LOCK_FOR), else_=None)
    db.execute(
        update(User)
        .where(User.id == user_id)
        .values(failed_login_attempts=failures, locked_until=lock)
        .execution_options(synchronize_session=False)
    )


def forget_failures(user: User) -> None:
    user.failed_login_attempts = 0
    user.locked_until = None
