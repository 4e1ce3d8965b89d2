"""Database wiring: declarative Base, a lazily created engine and session factory.

Nothing connects at import time. The engine is built from `get_settings().database_url`
on first use; `reset_engine()` disposes it (and clears the settings cache) so the next
use picks up a new DATABASE_URL, which is how tests switch databases.
"""

from typing import Any

from sqlalchemy import Engine, create_engine
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker
from sqlalchemy.pool import StaticPool

from app.core.config import get_settings


class Base(DeclarativeBase):
    pass


_engine: Engine | None = None
_sessionmaker: sessionmaker[Session] | None = None


def _is_in_memory_sqlite(url: str) -> bool:
    return url in ("sqlite://", "sqlite:///:memory:", "sqlite+pysqlite://") or ":memory:" in url


def get_engine() -> Engine:
    """The process-wide engine, created on first call."""
    global _engine
    if _engine is None:
        url = get_settings().database_url
        kwargs: dict[str, Any] = {}
        if url.startswith("sqlite"):
            kwargs["connect_args"] = {"check_same_thread": False}
            if _is_in_memory_sqlite(url):
                # One shared connection, or every session would see an empty database.
                kwargs["poolclass"] = StaticPool
        _engine = create_engine(url, **kwargs)
    return _engine


def get_sessionmaker() -> sessionmaker[Session]:
    """The session factory bound to `get_engine()`, created on first call."""
    global _sessionmaker
    if _sessionmaker is None:
        _sessionmaker = sessionmaker(bind=get_engine())
    return _sessionmaker


def SessionLocal() -> Session:
    """A new Session from the current session factory (`with SessionLocal() as db: ...`)."""
    return get_sessionmaker()()


def reset_engine() -> None:
    """Dispose and forget the engine and session factory; the next use rebuilds them."""
    global _engine, _sessionmaker
    if _engine is not None:
        _engine.dispose()
    _engine = None
    _sessionmaker = None
    get_settings.cache_clear()


def init_db() -> None:
    """Create all tables (importing app.models registers them on Base.metadata)."""
    import app.models  # noqa: F401

    Base.metadata.create_all(get_engine())


def __getattr__(name: str) -> Any:
    # `from app.db import engine` resolves lazily to the current engine.
    if name == "engine":
        return get_engine()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
