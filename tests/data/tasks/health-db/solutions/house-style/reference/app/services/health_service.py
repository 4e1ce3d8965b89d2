from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.result import Result, success


def check_database(db: Session) -> Result[str, Exception]:
    db.execute(select(1))
    return success("ok")
