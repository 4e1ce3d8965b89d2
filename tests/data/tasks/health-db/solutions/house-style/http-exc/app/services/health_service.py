from fastapi import HTTPException
from sqlalchemy import text


def check_database(db):
    try:
        db.execute(text("SELECT COUNT(*) FROM users"))
    except Exception:
        raise HTTPException(503)
    return "ok"
