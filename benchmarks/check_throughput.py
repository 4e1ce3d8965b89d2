#!/usr/bin/env python3
"""Throughput benchmark of `harness check` on a synthetic FastAPI code base.

What it does, in one run:

1. Generates, with a fixed seed, a tree of realistic FastAPI modules (`app/` with
   `services/`, `api/routes/`, `models/`, `schemas/`, `core/`, `domain/`), 40-200 lines
   each, and injects architecture violations into a known share of them (HTTPException
   raised in a service, a constant inside a function, a blocking call in `async def`,
   raw SQL through `text()`, a fastapi import in a service, a 12-method god service).
2. Times `harness check app --no-cache --format json` cold, and warm (a run that fills a
   fresh `--cache-dir`, then a timed run over the same cache); `ruff check` with the
   nearest equivalent rules; `semgrep` with hand-written equivalent rules
   (benchmarks/semgrep_rules.yml). Prints lines/s, lines/s per core, and ratios.
3. Checks that harness found every injected violation (recall per code, by exact line),
   and lists findings nobody injected (possible false positives).
4. Times CLI start-up: median of 5 runs of `harness --help` and of
   `harness check <one small file> --no-cache`, against the 0.5 s target.
5. Prints the command that produced the figures and a Markdown table; `--json OUT`
   writes the figures as JSON.

Standard library only. Run from anywhere:

    python benchmarks/check_throughput.py                 # defaults: 2000 modules, 20 % violations
    python benchmarks/check_throughput.py --modules 500 --json /tmp/figures.json

semgrep pins opentelemetry-api ~=1.37 while recent fastapi wants >=1.44, so it is best kept
in a venv of its own:

    python -m venv /opt/semgrep-venv && /opt/semgrep-venv/bin/pip install semgrep
    python benchmarks/check_throughput.py --semgrep /opt/semgrep-venv/bin/semgrep

Timings are wall-clock on whatever else the machine is doing: the script warns when the
load average is above 0.5 at the start.
"""

from __future__ import annotations

import argparse
import ast
import json
import os
import platform
import random
import re
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from string import Template

HERE = Path(__file__).resolve().parent
SEMGREP_RULES = HERE / "semgrep_rules.yml"
TREE_MARKER = ".check_throughput_tree"
STARTUP_TARGET_S = 0.5
DEFAULT_SEED = 20240611
CODES = ("ARCH101", "ARCH202", "ARCH301", "ARCH501", "ARCH601", "ARCH602")
MARK = re.compile(r"\s*#@(ARCH\d{3})$")

# --------------------------------------------------------------------------------------
# Synthetic code base
# --------------------------------------------------------------------------------------

PREFIXES = (
    "customer", "vendor", "warehouse", "tax", "loyalty", "gift", "subscription", "shipping",
    "refund", "support", "billing", "product", "catalog", "inventory", "price", "discount",
    "coupon", "partner", "employee", "payroll", "audit", "report", "campaign", "lead",
    "contract", "asset", "fleet", "delivery", "booking", "claim", "tenant", "store",
)  # fmt: skip
NOUNS = (
    "invoice", "payment", "order", "shipment", "ticket", "account", "profile", "note",
    "event", "batch", "item", "rule", "plan", "entry", "record", "request", "schedule",
    "document", "review", "alert", "comment", "quote", "receipt", "transfer", "ledger",
    "tag", "setting", "address", "label", "snapshot",
)  # fmt: skip

# (name, python type, mapped_column arguments, pydantic field default or None)
FIELDS = (
    ("description", "str | None", "String(500)", "None"),
    ("status", "str", 'String(32), default="draft"', '"draft"'),
    ("amount", "Decimal", "Numeric(12, 2)", None),
    ("currency", "str", 'String(3), default="EUR"', '"EUR"'),
    ("quantity", "int", "default=1", "1"),
    ("is_active", "bool", "default=True", "True"),
    ("external_ref", "str | None", "String(64), unique=True", "None"),
    ("priority", "int", "default=0", "0"),
    ("owner_id", "int", 'ForeignKey("users.id"), index=True', None),
    ("notes", "str | None", "Text()", "None"),
    ("due_at", "datetime | None", "DateTime(timezone=True)", "None"),
    ("email", "str | None", "String(255)", "None"),
    ("score", "float", "default=0.0", "0.0"),
    ("country_code", "str", 'String(2), default="DE"', '"DE"'),
    ("version", "int", "default=1", "1"),
    ("source", "str", 'String(40), default="api"', '"api"'),
)


def camel(snake: str) -> str:
    return "".join(part.capitalize() for part in snake.split("_"))


@dataclass
class Entity:
    """One business entity: it gets a model, a schema, a service and a router."""

    domain: str
    snake: str
    fields: list[tuple[str, str, str, str | None]]
    class_style: bool

    def vars(self) -> dict[str, str]:
        cls = camel(self.snake)
        return {
            "Cls": cls,
            "ent": self.snake,
            "human": self.snake.replace("_", " "),
            "table": self.snake + "s",
            "url": self.snake.replace("_", "-") + "s",
            "dom": self.domain,
            "Svc": cls + "Service",
            "model_mod": f"app.models.{self.domain}.{self.snake}",
            "schema_mod": f"app.schemas.{self.domain}.{self.snake}",
            "svc_mod": f"app.services.{self.domain}.{self.snake}_service",
        }


@dataclass
class Module:
    """A generated file: its text, and the violations injected into it (code, line)."""

    path: str
    kind: str
    text: str = ""
    expected: list[tuple[str, int]] = field(default_factory=list)
    injected: str | None = None


def render(template: str, values: dict[str, str]) -> str:
    return Template(template).substitute(values)


def finish(module: Module, chunks: list[str]) -> Module:
    """Join chunks, strip `#@ARCHnnn` markers and record the lines they marked."""
    # two blank lines between top-level blocks, as formatters do
    lines = "\n\n\n".join(c.strip("\n") for c in chunks if c.strip()).split("\n")
    out: list[str] = []
    for number, line in enumerate(lines, start=1):
        match = MARK.search(line)
        if match:
            module.expected.append((match.group(1), number))
            line = line[: match.start()]
        out.append(line.rstrip())
    text = "\n".join(out) + "\n"
    module.text = text
    return module


def block(text: str) -> str:
    """A top-level block (finish() puts two blank lines between blocks)."""
    return text.strip("\n") + "\n"


# ---- fixed modules -------------------------------------------------------------------

FIXED: dict[str, str] = {
    "app/main.py": '''
"""Application factory: builds the FastAPI app and mounts every router."""

from __future__ import annotations

import logging

from fastapi import FastAPI

from app.api.router import api_router
from app.core.config import get_settings

logger = logging.getLogger(__name__)


def create_app() -> FastAPI:
    """Build the application with its routers and settings."""
    settings = get_settings()
    app = FastAPI(title=settings.project_name, version=settings.version)
    app.include_router(api_router, prefix=settings.api_prefix)
    logger.info("application created (%s)", settings.environment)
    return app


app = create_app()
''',
    "app/core/config.py": '''
"""Settings read from the environment."""

from __future__ import annotations

import os
from functools import lru_cache

from pydantic import BaseModel, Field

DEFAULT_DATABASE_URL = "postgresql+asyncpg://app:app@localhost:5432/app"


class Settings(BaseModel):
    """Runtime settings of the service."""

    project_name: str = "commerce-backend"
    version: str = "1.0.0"
    environment: str = Field(default="development")
    api_prefix: str = "/api/v1"
    database_url: str = DEFAULT_DATABASE_URL
    page_size: int = 50
    token_ttl_seconds: int = 3600


@lru_cache
def get_settings() -> Settings:
    """Settings, read once per process."""
    return Settings(
        environment=os.environ.get("APP_ENV", "development"),
        database_url=os.environ.get("DATABASE_URL", DEFAULT_DATABASE_URL),
    )
''',
    "app/core/result.py": '''
"""A small Result type: services return success(value) or failure(error)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")
E = TypeVar("E")


@dataclass(frozen=True)
class Result(Generic[T, E]):
    """Either a value or an error, never both."""

    value: T | None = None
    error: E | None = None

    @property
    def is_success(self) -> bool:
        return self.error is None

    @property
    def is_failure(self) -> bool:
        return self.error is not None


def success(value: T) -> Result[T, E]:
    """A successful result carrying `value`."""
    return Result(value=value)


def failure(error: E) -> Result[T, E]:
    """A failed result carrying a domain error."""
    return Result(error=error)
''',
    "app/core/database.py": '''
"""Async engine, session factory and the declarative base."""

from __future__ import annotations

from collections.abc import AsyncIterator

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker, create_async_engine
from sqlalchemy.orm import DeclarativeBase

from app.core.config import get_settings

engine = create_async_engine(get_settings().database_url, pool_pre_ping=True)
SessionFactory = async_sessionmaker(engine, expire_on_commit=False)


class Base(DeclarativeBase):
    """Base class of every model."""


async def session_scope() -> AsyncIterator[AsyncSession]:
    """One session per request, committed on success, rolled back on error."""
    async with SessionFactory() as session:
        try:
            yield session
            await session.commit()
        except Exception:
            await session.rollback()
            raise
''',
    "app/core/security.py": '''
"""Password hashing and token helpers."""

from __future__ import annotations

import hashlib
import hmac
import secrets

HASH_ITERATIONS = 390_000
SALT_BYTES = 16


def hash_password(password: str, salt: bytes | None = None) -> str:
    """PBKDF2 hash of `password`, salted, as `salt$digest` hex."""
    salt = salt or secrets.token_bytes(SALT_BYTES)
    digest = hashlib.pbkdf2_hmac("sha256", password.encode(), salt, HASH_ITERATIONS)
    return f"{salt.hex()}${digest.hex()}"


def verify_password(password: str, stored: str) -> bool:
    """Whether `password` matches a hash made by hash_password()."""
    salt_hex, _, digest_hex = stored.partition("$")
    candidate = hash_password(password, bytes.fromhex(salt_hex))
    return hmac.compare_digest(candidate.partition("$")[2], digest_hex)


def new_token() -> str:
    """An opaque random token for links and sessions."""
    return secrets.token_urlsafe(32)
''',
    "app/domain/exceptions.py": '''
"""Domain errors: returned inside failure(...), mapped to HTTP by the API layer."""

from __future__ import annotations

from dataclasses import dataclass


class DomainError(Exception):
    """Base class of every domain error."""


@dataclass
class NotFoundError(DomainError):
    """The entity does not exist."""

    entity: str
    key: object


@dataclass
class ConflictError(DomainError):
    """The change would break a uniqueness or state rule."""

    entity: str
    reason: str


@dataclass
class PermissionDeniedError(DomainError):
    """The caller may not do this."""

    action: str
''',
    "app/api/deps.py": '''
"""Dependencies shared by the routers."""

from __future__ import annotations

from collections.abc import AsyncIterator

from fastapi import Depends, Header, HTTPException, status
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.database import session_scope


async def get_session() -> AsyncIterator[AsyncSession]:
    """A database session for one request."""
    async for session in session_scope():
        yield session


async def get_current_user_id(x_user_id: int | None = Header(default=None)) -> int:
    """The authenticated user's id, set by the gateway."""
    if x_user_id is None:
        raise HTTPException(status_code=status.HTTP_401_UNAUTHORIZED, detail="Not authenticated")
    return x_user_id


SessionDep = Depends(get_session)
''',
    "app/api/errors.py": '''
"""Map domain errors to HTTP errors: the only place that knows both."""

from __future__ import annotations

from fastapi import HTTPException, status

from app.domain.exceptions import ConflictError, DomainError, NotFoundError, PermissionDeniedError


def to_http_error(error: DomainError | None) -> HTTPException:
    """The HTTPException a route raises for a failed service result."""
    if isinstance(error, NotFoundError):
        return HTTPException(status_code=status.HTTP_404_NOT_FOUND, detail=f"{error.entity} not found")
    if isinstance(error, ConflictError):
        return HTTPException(status_code=status.HTTP_409_CONFLICT, detail=error.reason)
    if isinstance(error, PermissionDeniedError):
        return HTTPException(status_code=status.HTTP_403_FORBIDDEN, detail=error.action)
    return HTTPException(status_code=status.HTTP_400_BAD_REQUEST, detail="Invalid request")
''',
}


# ---- models --------------------------------------------------------------------------

MODEL_HEAD = '''
"""SQLAlchemy model of ${human}s."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

from sqlalchemy import DateTime, ForeignKey, Numeric, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from app.core.database import Base

STALE_AFTER_DAYS = 90
'''

MODEL_METHODS = (
    """
    def __repr__(self) -> str:
        return f"<${Cls} id={self.id} name={self.name!r}>"
""",
    '''
    @property
    def display_name(self) -> str:
        """The name shown in lists and e-mails."""
        return self.name.strip().title()
''',
    '''
    def is_stale(self, now: datetime) -> bool:
        """Whether the row has not been touched for a long time."""
        reference = self.updated_at or self.created_at
        return now - reference > timedelta(days=STALE_AFTER_DAYS)
''',
    '''
    def touch(self, now: datetime) -> None:
        """Mark the row as changed now."""
        self.updated_at = now
''',
    '''
    def to_summary(self) -> dict[str, object]:
        """A small dict for logs and audit entries."""
        return {
            "id": self.id,
            "name": self.name,
            "created_at": self.created_at.isoformat() if self.created_at else None,
        }
''',
)

MODEL_VIOLATION = '''
    def is_expired(self, now: datetime) -> bool:
        """Whether the row is past its retention period."""
        RETENTION_DAYS = 365  #@ARCH301
        reference = self.updated_at or self.created_at
        return now - reference > timedelta(days=RETENTION_DAYS)
'''


def model_column(f: tuple[str, str, str, str | None]) -> str:
    name, typ, col, _ = f
    return f"    {name}: Mapped[{typ}] = mapped_column({col})"


def gen_model(e: Entity, rng: random.Random, target: int, violation: str | None) -> Module:
    v = e.vars()
    m = Module(f"app/models/{e.domain}/{e.snake}.py", "model")
    chunks = [render(MODEL_HEAD, v)]
    body = [
        f"class {v['Cls']}(Base):",
        f'    """A {v["human"]} row."""',
        "",
        f'    __tablename__ = "{v["table"]}"',
        "",
        "    id: Mapped[int] = mapped_column(primary_key=True)",
        "    name: Mapped[str] = mapped_column(String(120), index=True)",
    ]
    body += [model_column(f) for f in e.fields]
    body += [
        '    created_at: Mapped[datetime] = mapped_column(server_default=text("CURRENT_TIMESTAMP"))',
        "    updated_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))",
    ]
    methods = list(MODEL_METHODS)
    rng.shuffle(methods)
    used = len(MODEL_HEAD.splitlines()) + len(body) + 2
    if violation == "ARCH301":
        methods.insert(0, MODEL_VIOLATION)
        m.injected = violation
    for method in methods:
        text_ = render(method, v)
        if used + len(text_.splitlines()) > target and method is not MODEL_VIOLATION:
            continue
        body.append(text_.rstrip("\n"))
        used += len(text_.splitlines())
    chunks.append(block("\n".join(body)))
    # larger modules get a companion history table
    if used + 22 <= target:
        chunks.append(
            block(
                render(
                    '''
class ${Cls}History(Base):
    """One change made to a ${human}, kept for auditing."""

    __tablename__ = "${table}_history"

    id: Mapped[int] = mapped_column(primary_key=True)
    ${ent}_id: Mapped[int] = mapped_column(ForeignKey("${table}.id", ondelete="CASCADE"), index=True)
    changed_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    field_name: Mapped[str] = mapped_column(String(64))
    old_value: Mapped[str | None] = mapped_column(Text())
    new_value: Mapped[str | None] = mapped_column(Text())
    changed_at: Mapped[datetime] = mapped_column(server_default=text("CURRENT_TIMESTAMP"))

    def describe(self) -> str:
        """A one-line description for the audit log."""
        return f"{self.field_name}: {self.old_value!r} -> {self.new_value!r}"
''',
                    v,
                )
            )
        )
    return finish(m, chunks)


# ---- schemas -------------------------------------------------------------------------

SCHEMA_HEAD = '''
"""Pydantic schemas of ${human}s: what the API accepts and returns."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from pydantic import BaseModel, ConfigDict, Field, field_validator

NAME_MAX_LENGTH = 120
'''


def gen_schema(e: Entity, rng: random.Random, target: int, violation: str | None) -> Module:
    v = e.vars()
    m = Module(f"app/schemas/{e.domain}/{e.snake}.py", "schema")
    chunks = [render(SCHEMA_HEAD, v)]
    base = [
        f"class {v['Cls']}Base(BaseModel):",
        f'    """Fields shared by every {v["human"]} schema."""',
        "",
        "    name: str = Field(min_length=1, max_length=NAME_MAX_LENGTH)",
    ]
    for name, typ, _, default in e.fields:
        base.append(f"    {name}: {typ}" + (f" = {default}" if default is not None else ""))
    chunks.append(block("\n".join(base)))
    validator_const = "NAME_MAX_LENGTH"
    validator = f'''
class {v["Cls"]}Create({v["Cls"]}Base):
    """Body of POST /{v["url"]}."""

    @field_validator("name")
    @classmethod
    def normalise_name(cls, value: str) -> str:
        """Collapse inner whitespace and reject blank names."""
'''
    if violation == "ARCH301":
        m.injected = violation
        validator += '        FORBIDDEN_NAMES = {"admin", "root", "system"}  #@ARCH301\n'
        validator += "        if value.strip().lower() in FORBIDDEN_NAMES:\n"
        validator += '            raise ValueError("reserved name")\n'
    validator += f"""        cleaned = " ".join(value.split())
        if not cleaned:
            raise ValueError("name must not be blank")
        return cleaned[:{validator_const}]
"""
    chunks.append(block(validator))
    update = [
        f"class {v['Cls']}Update(BaseModel):",
        f'    """Body of PATCH /{v["url"]}/{{id}}: every field optional."""',
        "",
        "    name: str | None = Field(default=None, max_length=NAME_MAX_LENGTH)",
    ]
    for name, typ, _, _ in e.fields:
        optional = typ if "None" in typ else f"{typ} | None"
        update.append(f"    {name}: {optional} = None")
    chunks.append(block("\n".join(update)))
    chunks.append(
        block(
            f'''
class {v["Cls"]}Read({v["Cls"]}Base):
    """A {v["human"]} as returned by the API."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    created_at: datetime
    updated_at: datetime | None = None
'''
        )
    )
    used = sum(len(c.splitlines()) for c in chunks)
    extras = [
        f'''
class {v["Cls"]}Page(BaseModel):
    """One page of {v["human"]}s."""

    items: list[{v["Cls"]}Read]
    total: int
    offset: int = 0
    limit: int = 50
''',
        f'''
class {v["Cls"]}Filter(BaseModel):
    """Query parameters of the list endpoint."""

    search: str | None = None
    status: str | None = None
    created_after: datetime | None = None
    created_before: datetime | None = None

    @field_validator("search")
    @classmethod
    def strip_search(cls, value: str | None) -> str | None:
        """Treat an empty search string as no search."""
        if value is None:
            return None
        return value.strip() or None
''',
        f'''
class {v["Cls"]}Stats(BaseModel):
    """Aggregates shown on the dashboard."""

    total: int = 0
    active: int = 0
    archived: int = 0
    last_created_at: datetime | None = None

    @property
    def archived_share(self) -> float:
        """Share of archived {v["human"]}s, 0 when there are none."""
        return self.archived / self.total if self.total else 0.0
''',
        f'''
class {v["Cls"]}BulkAction(BaseModel):
    """Body of the bulk endpoints."""

    ids: list[int] = Field(min_length=1, max_length=500)
    reason: str | None = Field(default=None, max_length=250)
    amount_delta: Decimal | None = None
''',
    ]
    rng.shuffle(extras)
    for extra in extras:
        if used + len(extra.splitlines()) + 2 <= target:
            chunks.append(block(extra))
            used += len(extra.splitlines()) + 2
    return finish(m, chunks)


# ---- services ------------------------------------------------------------------------

SERVICE_IMPORTS = '''
"""Business logic of ${human}s.

Errors are returned as ``failure(...)`` with a domain error; the API layer maps them to
HTTP responses. Never raise HTTPException here.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from datetime import UTC, datetime

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.result import Result, failure, success
from app.domain.exceptions import ConflictError, NotFoundError
from ${model_mod} import ${Cls}
from ${schema_mod} import ${Cls}Create, ${Cls}Update
'''

# Class-style service methods (indented for a class body). Each has a name for dedup.
SERVICE_METHODS: dict[str, str] = {
    "get": '''
    async def get(self, item_id: int) -> Result[${Cls}, NotFoundError]:
        """Return one ${human} by id."""
        row = await self.session.get(${Cls}, item_id)
        if row is None:
            return failure(NotFoundError("${ent}", item_id))
        return success(row)
''',
    "list_page": '''
    async def list_page(self, *, offset: int = 0, limit: int = DEFAULT_PAGE_SIZE) -> Sequence[${Cls}]:
        """One page of ${human}s, oldest first."""
        stmt = select(${Cls}).order_by(${Cls}.id).offset(offset).limit(min(limit, MAX_PAGE_SIZE))
        result = await self.session.execute(stmt)
        return result.scalars().all()
''',
    "count": '''
    async def count(self) -> int:
        """How many ${human}s exist."""
        total = await self.session.scalar(select(func.count()).select_from(${Cls}))
        return int(total or 0)
''',
    "create": '''
    async def create(self, data: ${Cls}Create) -> Result[${Cls}, ConflictError]:
        """Create a ${human} unless one with the same name exists."""
        existing = await self.session.scalar(select(${Cls}).where(${Cls}.name == data.name))
        if existing is not None:
            return failure(ConflictError("${ent}", f"name {data.name!r} is taken"))
        row = ${Cls}(**data.model_dump())
        self.session.add(row)
        await self.session.flush()
        logger.info("created ${human} %s", row.id)
        return success(row)
''',
    "update": '''
    async def update(self, item_id: int, data: ${Cls}Update) -> Result[${Cls}, NotFoundError]:
        """Apply the fields set in `data` to one ${human}."""
        row = await self.session.get(${Cls}, item_id)
        if row is None:
            return failure(NotFoundError("${ent}", item_id))
        for name, value in data.model_dump(exclude_unset=True).items():
            setattr(row, name, value)
        row.updated_at = datetime.now(UTC)
        await self.session.flush()
        return success(row)
''',
    "archive": '''
    async def archive(self, item_id: int) -> Result[${Cls}, NotFoundError]:
        """Soft-delete one ${human}."""
        row = await self.session.get(${Cls}, item_id)
        if row is None:
            return failure(NotFoundError("${ent}", item_id))
        row.is_active = False
        row.updated_at = datetime.now(UTC)
        await self.session.flush()
        logger.info("archived ${human} %s", item_id)
        return success(row)
''',
    "search": '''
    async def search(self, term: str, *, limit: int = DEFAULT_PAGE_SIZE) -> Sequence[${Cls}]:
        """${Cls}s whose name contains `term`, case-insensitively."""
        pattern = f"%{term.strip()}%"
        stmt = select(${Cls}).where(${Cls}.name.ilike(pattern)).order_by(${Cls}.name).limit(limit)
        result = await self.session.execute(stmt)
        return result.scalars().all()
''',
    "bulk_archive": '''
    async def bulk_archive(self, ids: Sequence[int]) -> int:
        """Archive many ${human}s at once; returns how many changed."""
        if not ids:
            return 0
        stmt = update(${Cls}).where(${Cls}.id.in_(ids)).values(is_active=False)
        result = await self.session.execute(stmt)
        return result.rowcount or 0
''',
    "exists": '''
    async def exists(self, item_id: int) -> bool:
        """Whether a ${human} with this id exists."""
        found = await self.session.scalar(select(${Cls}.id).where(${Cls}.id == item_id))
        return found is not None
''',
    "latest": '''
    async def latest(self, limit: int = 10) -> Sequence[${Cls}]:
        """The most recently created ${human}s."""
        stmt = select(${Cls}).order_by(${Cls}.created_at.desc()).limit(limit)
        return (await self.session.scalars(stmt)).all()
''',
    "rename": '''
    async def rename(self, item_id: int, new_name: str) -> Result[${Cls}, NotFoundError | ConflictError]:
        """Rename a ${human}, keeping names unique."""
        row = await self.session.get(${Cls}, item_id)
        if row is None:
            return failure(NotFoundError("${ent}", item_id))
        clash = await self.session.scalar(select(${Cls}.id).where(${Cls}.name == new_name))
        if clash is not None and clash != item_id:
            return failure(ConflictError("${ent}", f"name {new_name!r} is taken"))
        row.name = new_name
        await self.session.flush()
        return success(row)
''',
    "summarize": '''
    def summarize(self, rows: Sequence[${Cls}]) -> dict[str, int]:
        """Counts per status, for dashboards."""
        counts: dict[str, int] = {}
        for row in rows:
            key = getattr(row, "status", "unknown")
            counts[key] = counts.get(key, 0) + 1
        return counts
''',
    "refresh_all": '''
    async def refresh_all(self, ids: Sequence[int]) -> list[${Cls}]:
        """Load several ${human}s concurrently, skipping missing ones."""
        rows = await asyncio.gather(*(self.session.get(${Cls}, i) for i in ids))
        return [row for row in rows if row is not None]
''',
    "ids_by_owner": '''
    async def ids_by_owner(self, owner_id: int) -> list[int]:
        """Ids of the ${human}s one user owns."""
        stmt = select(${Cls}.id).where(${Cls}.owner_id == owner_id).order_by(${Cls}.id)
        return list((await self.session.scalars(stmt)).all())
''',
}

# Violating variants, keyed by code: (method text, extra import lines)
SERVICE_VIOLATIONS: dict[str, list[tuple[str, str]]] = {
    "ARCH101": [
        (
            '''
    async def get_or_404(self, item_id: int) -> ${Cls}:
        """Return one ${human} or stop the request."""
        row = await self.session.get(${Cls}, item_id)
        if row is None:
            raise HTTPException(status_code=404, detail="${human} not found")  #@ARCH101
        return row
''',
            "from fastapi import HTTPException  #@ARCH501",
        ),
        (
            '''
    async def assert_unique(self, name: str) -> None:
        """Refuse a duplicate name."""
        existing = await self.session.scalar(select(${Cls}).where(${Cls}.name == name))
        if existing is not None:
            raise HTTPException(  #@ARCH101
                status_code=status.HTTP_409_CONFLICT,
                detail=f"${human} {name!r} already exists",
            )
''',
            "from fastapi import HTTPException, status  #@ARCH501",
        ),
    ],
    "ARCH301": [
        (
            '''
    async def create_checked(self, data: ${Cls}Create) -> Result[${Cls}, ConflictError]:
        """Create a ${human}, with a cap on how many one owner may have."""
        MAX_PER_OWNER = 500  #@ARCH301
        owned = await self.session.scalar(select(func.count()).select_from(${Cls}))
        if int(owned or 0) >= MAX_PER_OWNER:
            return failure(ConflictError("${ent}", "limit reached"))
        row = ${Cls}(**data.model_dump())
        self.session.add(row)
        await self.session.flush()
        return success(row)
''',
            "",
        ),
        (
            '''
    async def purge_stale(self) -> int:
        """Archive ${human}s nobody touched for a long time."""
        STALE_DAYS: int = 180  #@ARCH301
        cutoff = datetime.now(UTC).timestamp() - STALE_DAYS * 86400
        stmt = update(${Cls}).where(func.extract("epoch", ${Cls}.created_at) < cutoff).values(is_active=False)
        result = await self.session.execute(stmt)
        return result.rowcount or 0
''',
            "",
        ),
    ],
    "ARCH601": [
        (
            '''
    async def create_with_retry(self, data: ${Cls}Create) -> Result[${Cls}, ConflictError]:
        """Create a ${human}, waiting for the replica to catch up first."""
        time.sleep(0.2)  #@ARCH601
        row = ${Cls}(**data.model_dump())
        self.session.add(row)
        await self.session.flush()
        return success(row)
''',
            "import time",
        ),
        (
            '''
    async def sync_external(self, item_id: int) -> Result[${Cls}, NotFoundError]:
        """Pull the ${human} from the partner API."""
        row = await self.session.get(${Cls}, item_id)
        if row is None:
            return failure(NotFoundError("${ent}", item_id))
        payload = requests.get(f"https://partner.example/${url}/{item_id}", timeout=5).json()  #@ARCH601
        row.external_ref = payload.get("ref")
        return success(row)
''',
            "import requests",
        ),
    ],
    "ARCH602": [
        (
            '''
    async def find_by_name(self, name: str) -> ${Cls} | None:
        """Look a ${human} up by its exact name."""
        result = await self.session.execute(text("SELECT id FROM ${table} WHERE name = :name"), {"name": name})  #@ARCH602
        found = result.scalar_one_or_none()
        return None if found is None else await self.session.get(${Cls}, found)
''',
            "from sqlalchemy import text",
        ),
        (
            '''
    async def count_for_owner(self, owner_id: int) -> int:
        """How many ${human}s one user owns."""
        query = text(f"SELECT count(*) FROM ${table} WHERE owner_id = {int(owner_id)}")  #@ARCH602
        return int((await self.session.execute(query)).scalar_one())
''',
            "from sqlalchemy import text",
        ),
    ],
    "ARCH501": [
        (
            '''
    async def export(self, item_id: int) -> Result[dict[str, object], NotFoundError]:
        """The ${human} as a JSON-ready dict."""
        row = await self.session.get(${Cls}, item_id)
        if row is None:
            return failure(NotFoundError("${ent}", item_id))
        return success(jsonable_encoder(row.to_summary()))
''',
            "from fastapi.encoders import jsonable_encoder  #@ARCH501",
        ),
        (
            '''
    async def schedule_reindex(self, item_id: int, tasks: BackgroundTasks) -> None:
        """Re-index one ${human} after the response is sent."""
        tasks.add_task(logger.info, "reindex ${human} %s", item_id)
''',
            "from fastapi import BackgroundTasks  #@ARCH501",
        ),
    ],
}

SERVICE_CONSTANTS = """
logger = logging.getLogger(__name__)

DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 200
"""

SERVICE_CLASS_HEAD = '''
class ${Svc}:
    """Create, read, update and archive ${human}s."""

    CACHE_TTL_SECONDS = 30

    def __init__(self, session: AsyncSession) -> None:
        self.session = session
'''

SERVICE_HELPER = '''
def _normalise_name(name: str) -> str:
    """Names are compared without surrounding or repeated whitespace."""
    return " ".join(name.split())


def _chunks(ids: Sequence[int], size: int) -> list[Sequence[int]]:
    """Split ids into batches for bulk statements."""
    if size <= 0:
        raise ValueError("size must be positive")
    return [ids[i : i + size] for i in range(0, len(ids), size)]
'''


def to_function(method: str, entity: Entity) -> str:
    """Turn a class method template into a module-level function (module-style services)."""
    lines = method.strip("\n").splitlines()
    out = []
    for line in lines:
        line = line[4:] if line.startswith("    ") else line
        line = line.replace("self.session", "session")
        out.append(line)
    head = out[0]
    match = re.match(r"(async def |def )(\w+)\(self(, )?", head)
    assert match, head
    name = match.group(2)
    rest = head[match.end() :]
    new_name = f"{name}_{entity.snake}" if not name.endswith(entity.snake) else name
    if rest.startswith(")") or rest.startswith("*"):
        sep = ", " if rest.startswith("*") else ""
        out[0] = f"{match.group(1)}{new_name}(session: AsyncSession{sep}{rest}"
    else:
        out[0] = f"{match.group(1)}{new_name}(session: AsyncSession, {rest}"
    return "\n".join(out) + "\n"


def gen_service(e: Entity, rng: random.Random, target: int, violation: str | None) -> Module:
    v = e.vars()
    m = Module(f"app/services/{e.domain}/{e.snake}_service.py", "service")
    names = list(SERVICE_METHODS)
    rng.shuffle(names)
    for required in ("create", "get"):
        names.remove(required)
        names.insert(0, required)
    extra_imports: list[str] = []
    special: str | None = None
    if violation in SERVICE_VIOLATIONS:
        special, extra = rng.choice(SERVICE_VIOLATIONS[violation])
        if extra:
            extra_imports.append(extra)
    if violation is not None:
        m.injected = violation

    imports = render(SERVICE_IMPORTS, v).strip("\n")
    if extra_imports:
        # third-party style imports go after the sqlalchemy ones; stdlib "import time" first
        lines = imports.splitlines()
        for extra in extra_imports:
            if extra.startswith("import time"):
                lines.insert(lines.index("import asyncio") + 2, extra)
            else:
                lines.insert(lines.index("from sqlalchemy.ext.asyncio import AsyncSession"), extra)
        imports = "\n".join(lines)
    chunks = [imports, SERVICE_CONSTANTS]
    used = len(imports.splitlines()) + len(SERVICE_CONSTANTS.splitlines()) + 2

    if e.class_style:
        god = violation == "ARCH202"
        methods: list[str] = []
        head = render(SERVICE_CLASS_HEAD, v)
        if god:
            head = head.replace(f"class {v['Svc']}:", f"class {v['Svc']}:  #@ARCH202")
        span = len(head.splitlines())
        if special:
            methods.append(render(special, v))
            span += len(methods[0].splitlines())
        if god:
            wanted = 12 - len(methods)
            for name in names[:wanted]:
                methods.append(render(SERVICE_METHODS[name], v))
        else:
            for name in names:
                text_ = render(SERVICE_METHODS[name], v)
                size = len(text_.splitlines())
                if len(methods) >= 2 and (used + span + size > target or span + size > 140):
                    continue
                if len(methods) >= 8:
                    break
                methods.append(text_)
                span += size
        chunks.append(block(head.rstrip("\n") + "\n" + "".join(methods)))
        used += span + 2
        if used + 14 <= target:
            chunks.append(block(SERVICE_HELPER))
    else:
        functions: list[str] = []
        if special:
            functions.append(to_function(render(special, v), e))
        for name in names:
            text_ = to_function(render(SERVICE_METHODS[name], v), e)
            size = len(text_.splitlines()) + 2
            if len(functions) >= 2 and used + size > target:
                continue
            if len(functions) >= 8:
                break
            functions.append(text_)
            used += size
        for fn in functions:
            chunks.append(block(fn))
        if used + 14 <= target:
            chunks.append(block(SERVICE_HELPER))
    return finish(m, chunks)


# ---- routers -------------------------------------------------------------------------

ROUTE_HEAD = '''
"""HTTP endpoints of ${human}s."""

from __future__ import annotations

import asyncio
import logging

from fastapi import APIRouter, Depends, HTTPException, Query, Response, status
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.api.deps import get_current_user_id, get_session
from app.api.errors import to_http_error
from ${model_mod} import ${Cls}
from ${schema_mod} import ${Cls}Create, ${Cls}Read, ${Cls}Update
'''

ROUTE_SVC_CLASS = '''
from ${svc_mod} import ${Svc}

logger = logging.getLogger(__name__)

router = APIRouter(prefix="/${url}", tags=["${human}s"])


def get_service(session: AsyncSession = Depends(get_session)) -> ${Svc}:
    """The service, bound to this request's session."""
    return ${Svc}(session)
'''

ROUTE_SVC_MODULE = """
from ${svc_mod} import create_${ent}, get_${ent}

logger = logging.getLogger(__name__)

router = APIRouter(prefix="/${url}", tags=["${human}s"])
"""

ROUTES_CLASS = (
    '''
@router.get("/{item_id}", response_model=${Cls}Read)
async def read_${ent}(item_id: int, service: ${Svc} = Depends(get_service)) -> ${Cls}Read:
    """Return one ${human}."""
    result = await service.get(item_id)
    if result.is_failure:
        raise to_http_error(result.error)
    return ${Cls}Read.model_validate(result.value)
''',
    '''
@router.post("", response_model=${Cls}Read, status_code=status.HTTP_201_CREATED)
async def create_${ent}_endpoint(
    body: ${Cls}Create,
    service: ${Svc} = Depends(get_service),
    user_id: int = Depends(get_current_user_id),
) -> ${Cls}Read:
    """Create a ${human}."""
    result = await service.create(body)
    if result.is_failure:
        raise to_http_error(result.error)
    logger.info("user %s created ${human} %s", user_id, result.value.id)
    return ${Cls}Read.model_validate(result.value)
''',
)

ROUTES_MODULE = (
    '''
@router.get("/{item_id}", response_model=${Cls}Read)
async def read_${ent}(item_id: int, session: AsyncSession = Depends(get_session)) -> ${Cls}Read:
    """Return one ${human}."""
    result = await get_${ent}(session, item_id)
    if result.is_failure:
        raise to_http_error(result.error)
    return ${Cls}Read.model_validate(result.value)
''',
    '''
@router.post("", response_model=${Cls}Read, status_code=status.HTTP_201_CREATED)
async def create_${ent}_endpoint(
    body: ${Cls}Create,
    session: AsyncSession = Depends(get_session),
    user_id: int = Depends(get_current_user_id),
) -> ${Cls}Read:
    """Create a ${human}."""
    result = await create_${ent}(session, body)
    if result.is_failure:
        raise to_http_error(result.error)
    logger.info("user %s created ${human} %s", user_id, result.value.id)
    return ${Cls}Read.model_validate(result.value)
''',
)

ROUTES_EXTRA = (
    '''
@router.get("", response_model=list[${Cls}Read])
async def list_${ent}s(
    offset: int = Query(0, ge=0),
    limit: int = Query(50, ge=1, le=200),
    session: AsyncSession = Depends(get_session),
) -> list[${Cls}Read]:
    """One page of ${human}s."""
    stmt = select(${Cls}).order_by(${Cls}.id).offset(offset).limit(limit)
    rows = (await session.scalars(stmt)).all()
    return [${Cls}Read.model_validate(row) for row in rows]
''',
    '''
@router.patch("/{item_id}", response_model=${Cls}Read)
async def update_${ent}(
    item_id: int, body: ${Cls}Update, session: AsyncSession = Depends(get_session)
) -> ${Cls}Read:
    """Change some fields of a ${human}."""
    row = await session.get(${Cls}, item_id)
    if row is None:
        raise HTTPException(status_code=status.HTTP_404_NOT_FOUND, detail="${human} not found")
    for name, value in body.model_dump(exclude_unset=True).items():
        setattr(row, name, value)
    await session.flush()
    return ${Cls}Read.model_validate(row)
''',
    '''
@router.delete("/{item_id}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_${ent}(item_id: int, session: AsyncSession = Depends(get_session)) -> Response:
    """Delete a ${human}."""
    row = await session.get(${Cls}, item_id)
    if row is None:
        raise HTTPException(status_code=status.HTTP_404_NOT_FOUND, detail="${human} not found")
    await session.delete(row)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
''',
    '''
@router.get("/stats/count")
async def count_${ent}s(session: AsyncSession = Depends(get_session)) -> dict[str, int]:
    """How many ${human}s exist."""
    total = await session.scalar(select(func.count()).select_from(${Cls}))
    return {"total": int(total or 0)}
''',
    '''
@router.get("/{item_id}/exists")
async def ${ent}_exists(item_id: int, session: AsyncSession = Depends(get_session)) -> dict[str, bool]:
    """Whether a ${human} exists, for the admin UI."""
    found = await session.scalar(select(${Cls}.id).where(${Cls}.id == item_id))
    return {"exists": found is not None}
''',
    '''
@router.post("/{item_id}/refresh", status_code=status.HTTP_202_ACCEPTED)
async def refresh_${ent}(item_id: int, session: AsyncSession = Depends(get_session)) -> dict[str, str]:
    """Ask for a ${human} to be refreshed from upstream systems."""
    await asyncio.sleep(0)
    row = await session.get(${Cls}, item_id)
    if row is None:
        raise HTTPException(status_code=status.HTTP_404_NOT_FOUND, detail="${human} not found")
    return {"status": "queued"}
''',
)

ROUTE_VIOLATIONS = {
    "ARCH301": (
        '''
@router.get("/search/by-name", response_model=list[${Cls}Read])
async def search_${ent}s(q: str, session: AsyncSession = Depends(get_session)) -> list[${Cls}Read]:
    """${Cls}s whose name contains `q`."""
    MAX_RESULTS = 25  #@ARCH301
    stmt = select(${Cls}).where(${Cls}.name.ilike(f"%{q}%")).limit(MAX_RESULTS)
    rows = (await session.scalars(stmt)).all()
    return [${Cls}Read.model_validate(row) for row in rows]
''',
        "",
    ),
    "ARCH601": (
        '''
@router.post("/{item_id}/recalculate")
async def recalculate_${ent}(item_id: int, session: AsyncSession = Depends(get_session)) -> dict[str, str]:
    """Recalculate derived fields; waits for the pricing cache to settle."""
    row = await session.get(${Cls}, item_id)
    if row is None:
        raise HTTPException(status_code=status.HTTP_404_NOT_FOUND, detail="${human} not found")
    time.sleep(1)  #@ARCH601
    return {"status": "recalculated"}
''',
        "import time",
    ),
    "ARCH602": (
        '''
@router.get("/stats/by-status")
async def ${ent}_status_counts(session: AsyncSession = Depends(get_session)) -> dict[str, int]:
    """Counts of ${human}s per status."""
    rows = await session.execute(text("SELECT status, count(*) FROM ${table} GROUP BY status"))  #@ARCH602
    return {status_: int(count) for status_, count in rows.all()}
''',
        "from sqlalchemy import text",
    ),
}


def gen_route(e: Entity, rng: random.Random, target: int, violation: str | None) -> Module:
    v = e.vars()
    m = Module(f"app/api/routes/{e.domain}/{e.snake}.py", "route")
    head = render(ROUTE_HEAD, v).strip("\n")
    special = None
    if violation in ROUTE_VIOLATIONS:
        special, extra = ROUTE_VIOLATIONS[violation]
        m.injected = violation
        lines = head.splitlines()
        if extra == "import time":
            lines.insert(lines.index("import logging") + 1, extra)
        elif extra:
            lines.insert(lines.index("from sqlalchemy.ext.asyncio import AsyncSession"), extra)
        head = "\n".join(lines)
    tail = render(ROUTE_SVC_CLASS if e.class_style else ROUTE_SVC_MODULE, v)
    chunks = [head + "\n" + tail.strip("\n")]
    used = len(chunks[0].splitlines())
    endpoints = [render(t, v) for t in (ROUTES_CLASS if e.class_style else ROUTES_MODULE)]
    if special:
        endpoints.append(render(special, v))
    extras = [render(t, v) for t in ROUTES_EXTRA]
    rng.shuffle(extras)
    for text_ in endpoints:
        chunks.append(block(text_))
        used += len(text_.splitlines()) + 2
    for text_ in extras:
        if used + len(text_.splitlines()) + 2 <= target:
            chunks.append(block(text_))
            used += len(text_.splitlines()) + 2
    return finish(m, chunks)


# ---- core utilities ------------------------------------------------------------------

CORE_HEAD = '''
"""${Title} helpers shared by services and routers."""

from __future__ import annotations

import asyncio
import hashlib
import logging
import time
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

T = TypeVar("T")

logger = logging.getLogger(__name__)

DEFAULT_TIMEOUT_SECONDS = 5.0
RETRY_ATTEMPTS = 3
'''

CORE_PIECES = (
    '''
async def retry_async(operation: Callable[[], Awaitable[T]], attempts: int = RETRY_ATTEMPTS) -> T:
    """Run `operation`, retrying with exponential back-off on any exception."""
    delay = 0.1
    for attempt in range(1, attempts + 1):
        try:
            return await operation()
        except Exception:
            if attempt == attempts:
                raise
            logger.warning("attempt %s/%s failed, retrying in %.1fs", attempt, attempts, delay)
            await asyncio.sleep(delay)
            delay *= 2
    raise RuntimeError("unreachable")
''',
    '''
def retry_sync(operation: Callable[[], T], attempts: int = RETRY_ATTEMPTS) -> T:
    """The blocking twin of retry_async, for scripts and workers."""
    for attempt in range(1, attempts + 1):
        try:
            return operation()
        except Exception:
            if attempt == attempts:
                raise
            time.sleep(0.1 * attempt)
    raise RuntimeError("unreachable")
''',
    '''
@dataclass
class TtlCache:
    """A tiny in-process cache whose entries expire after `ttl` seconds."""

    ttl: float = 30.0
    _entries: dict[str, tuple[float, object]] = field(default_factory=dict)

    def get(self, key: str) -> object | None:
        """The cached value, or None when missing or expired."""
        entry = self._entries.get(key)
        if entry is None or entry[0] < time.monotonic():
            self._entries.pop(key, None)
            return None
        return entry[1]

    def put(self, key: str, value: object) -> None:
        """Store `value` until the TTL runs out."""
        self._entries[key] = (time.monotonic() + self.ttl, value)
''',
    '''
def fingerprint(parts: Iterable[str]) -> str:
    """A stable short hash of several strings, for cache keys and ETags."""
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part.encode())
        digest.update(b"\\0")
    return digest.hexdigest()[:16]
''',
    '''
def paginate(total: int, offset: int, limit: int) -> dict[str, int | None]:
    """Offsets of the next and previous pages, None at the ends."""
    next_offset = offset + limit if offset + limit < total else None
    previous = max(offset - limit, 0) if offset > 0 else None
    return {"total": total, "next": next_offset, "previous": previous}
''',
    '''
async def with_timeout(awaitable: Awaitable[T], seconds: float = DEFAULT_TIMEOUT_SECONDS) -> T:
    """Await with a deadline; raises TimeoutError when it passes."""
    async with asyncio.timeout(seconds):
        return await awaitable
''',
    '''
async def first_existing(session: AsyncSession, model: type[T], ids: Iterable[int]) -> T | None:
    """The first row of `model` among `ids` that exists."""
    for item_id in ids:
        row = await session.scalar(select(model).where(model.id == item_id))
        if row is not None:
            return row
    return None
''',
    '''
def chunked(items: list[T], size: int) -> list[list[T]]:
    """Split a list into lists of at most `size` items."""
    if size <= 0:
        raise ValueError("size must be positive")
    return [items[i : i + size] for i in range(0, len(items), size)]
''',
    '''
async def gather_limited(tasks: Iterable[Awaitable[T]], limit: int = 8) -> list[T]:
    """Await many coroutines with at most `limit` running at once."""
    semaphore = asyncio.Semaphore(limit)

    async def run(task: Awaitable[T]) -> T:
        async with semaphore:
            return await task

    return await asyncio.gather(*(run(t) for t in tasks))
''',
)

CORE_VIOLATIONS = {
    "ARCH301": '''
def backoff_delays(attempts: int) -> list[float]:
    """The delays used between retries, capped."""
    MAX_DELAY_SECONDS = 30.0  #@ARCH301
    return [min(0.1 * 2**i, MAX_DELAY_SECONDS) for i in range(attempts)]
''',
    "ARCH601": '''
async def wait_for_lock(key: str, attempts: int = RETRY_ATTEMPTS) -> bool:
    """Poll a lock until it is free."""
    for _ in range(attempts):
        if not key.startswith("locked:"):
            return True
        time.sleep(0.5)  #@ARCH601
    return False
''',
    "ARCH602": '''
async def table_size(session: AsyncSession, table: str) -> int:
    """Rows in one table, for the health endpoint."""
    result = await session.execute(text(f"SELECT count(*) FROM {table}"))  #@ARCH602
    return int(result.scalar_one())
''',
}

CORE_AREAS = ("cache", "http", "pagination", "retry", "hashing", "timing", "batching", "events")


def gen_core(index: int, rng: random.Random, target: int, violation: str | None) -> Module:
    area = CORE_AREAS[index % len(CORE_AREAS)]
    name = f"{area}_utils_{index:03d}"
    m = Module(f"app/core/{area}/{name}.py", "core")
    head = render(CORE_HEAD, {"Title": area.capitalize()}).strip("\n")
    if violation == "ARCH602":
        head = head.replace("from sqlalchemy import select", "from sqlalchemy import select, text")
    chunks = [head]
    used = len(head.splitlines())
    pieces = list(CORE_PIECES)
    rng.shuffle(pieces)
    if violation in CORE_VIOLATIONS:
        m.injected = violation
        pieces.insert(0, CORE_VIOLATIONS[violation])
    for i, piece in enumerate(pieces):
        size = len(piece.strip("\n").splitlines()) + 2
        if i > 1 and used + size > target:
            continue
        chunks.append(block(piece))
        used += size
    return finish(m, chunks)


# ---- the tree ------------------------------------------------------------------------

KIND_VIOLATIONS = {
    "service_class": ("ARCH101", "ARCH202", "ARCH301", "ARCH501", "ARCH601", "ARCH602"),
    "service_module": ("ARCH101", "ARCH301", "ARCH501", "ARCH601", "ARCH602"),
    "route": ("ARCH301", "ARCH601", "ARCH602"),
    "core": ("ARCH301", "ARCH601", "ARCH602"),
    "schema": ("ARCH301",),
    "model": ("ARCH301",),
}


@dataclass
class Tree:
    root: Path
    modules: list[Module]
    files: int
    lines: int
    injected: Counter
    expected: Counter


def plan_sizes(rng: random.Random, count: int) -> list[int]:
    """Target sizes between 40 and 200 lines, most around 80-120."""
    return [int(rng.triangular(40, 200, 95)) for _ in range(count)]


def generate_tree(root: Path, n_modules: int, share: float, seed: int) -> Tree:
    rng = random.Random(seed)
    fixed = len(FIXED) + 1  # + app/api/router.py
    n_core = max(4, n_modules // 20)
    n_entities = max(1, (n_modules - fixed - n_core) // 4)
    n_core = max(0, n_modules - fixed - 4 * n_entities)
    combos = [(p, n) for p in PREFIXES for n in NOUNS]
    if n_entities > len(combos):
        combos += [
            (p, f"{n}{k}")
            for k in range(2, 2 + n_entities // len(combos) + 1)
            for p in PREFIXES
            for n in NOUNS
        ]
    rng.shuffle(combos)
    entities = []
    for prefix, noun in combos[:n_entities]:
        fields = rng.sample(FIELDS, rng.randint(3, 9))
        fields.sort(key=FIELDS.index)
        # services and routers rely on these columns
        for needed in ("is_active", "owner_id", "external_ref", "status"):
            spec = next(f for f in FIELDS if f[0] == needed)
            if spec not in fields:
                fields.append(spec)
        entities.append(Entity(prefix, f"{prefix}_{noun}", fields, rng.random() < 0.6))

    # slots: (kind, builder)
    slots: list[tuple[str, object]] = []
    for e in entities:
        slots += [
            ("model", e),
            ("schema", e),
            ("service_class" if e.class_style else "service_module", e),
            ("route", e),
        ]
    slots += [("core", i) for i in range(n_core)]
    sizes = plan_sizes(rng, len(slots))

    # choose the violating slots: the same number for every code (as far as the kinds of
    # module allow), most restrictive code first
    n_bad = round(share * len(slots))
    assigned: dict[int, str] = {}
    order = sorted(CODES, key=lambda c: sum(c in KIND_VIOLATIONS[k] for k, _ in slots))
    for position, code in enumerate(order):
        quota = (n_bad - len(assigned)) // (len(order) - position)
        eligible = [
            i for i, (k, _) in enumerate(slots) if i not in assigned and code in KIND_VIOLATIONS[k]
        ]
        for i in rng.sample(eligible, min(quota, len(eligible))):
            assigned[i] = code

    modules: list[Module] = []
    for i, (kind, item) in enumerate(slots):
        violation = assigned.get(i)
        target = sizes[i]
        if violation == "ARCH202":
            target = 230
        if kind == "model":
            modules.append(gen_model(item, rng, target, violation))  # type: ignore[arg-type]
        elif kind == "schema":
            modules.append(gen_schema(item, rng, target, violation))  # type: ignore[arg-type]
        elif kind.startswith("service"):
            modules.append(gen_service(item, rng, target, violation))  # type: ignore[arg-type]
        elif kind == "route":
            modules.append(gen_route(item, rng, target, violation))  # type: ignore[arg-type]
        else:
            modules.append(gen_core(item, rng, target, violation))  # type: ignore[arg-type]

    for path, text_ in FIXED.items():
        modules.append(Module(path, "fixed", text_.lstrip("\n")))
    router_lines = [
        '"""All routers, mounted under the API prefix."""',
        "",
        "from fastapi import APIRouter",
        "",
    ]
    route_mods = [e for e in entities]
    for e in route_mods:
        router_lines.append(
            f"from app.api.routes.{e.domain}.{e.snake} import router as {e.snake}_router"
        )
    router_lines += ["", "api_router = APIRouter()"]
    router_lines += [f"api_router.include_router({e.snake}_router)" for e in route_mods]
    modules.append(Module("app/api/router.py", "fixed", "\n".join(router_lines) + "\n"))

    app = root / "app"
    if app.exists():
        shutil.rmtree(app)
    packages: set[Path] = set()
    for module in modules:
        path = root / module.path
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(module.text, encoding="utf-8")
        ast.parse(module.text, filename=module.path)  # the generator must emit valid Python
        parent = path.parent
        while parent != root:
            packages.add(parent)
            parent = parent.parent
    for package in packages:
        init = package / "__init__.py"
        if not init.exists():
            init.write_text("", encoding="utf-8")
    # semgrep skips vendor/, test/, ... unless it reads a .semgrepignore of its own, which it
    # does with `--project-root .`; the tree has a `vendor` domain (app/*/vendor/...)
    (root / ".semgrepignore").write_text(
        "# check everything (replaces semgrep's default ignores)\n", encoding="utf-8"
    )
    (root / TREE_MARKER).write_text(
        f"seed={seed} modules={n_modules} share={share}\n", encoding="utf-8"
    )

    files = 0
    lines = 0
    for path in app.rglob("*.py"):
        files += 1
        with open(path, "rb") as handle:
            lines += handle.read().count(b"\n")
    injected = Counter(m.injected for m in modules if m.injected)
    expected = Counter(code for m in modules for code, _ in m.expected)
    return Tree(root, modules, files, lines, injected, expected)


# --------------------------------------------------------------------------------------
# Measurement
# --------------------------------------------------------------------------------------


def find_tool(name: str) -> list[str] | None:
    """The console script next to sys.executable, else on PATH."""
    beside = Path(sys.executable).parent / name
    if beside.is_file() and os.access(beside, os.X_OK):
        return [str(beside)]
    found = shutil.which(name)
    return [found] if found else None


def harness_cmd() -> list[str]:
    return find_tool("harness") or [sys.executable, "-m", "harness"]


@dataclass
class Run:
    seconds: float
    returncode: int
    stdout: str
    stderr: str


def timed(
    cmd: list[str], cwd: Path, env: dict[str, str] | None = None, timeout: float = 900
) -> Run:
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    seconds = time.perf_counter() - start
    return Run(seconds, proc.returncode, proc.stdout, proc.stderr)


def fail(what: str, run: Run) -> None:
    sys.stderr.write(f"{what} failed (exit {run.returncode}):\n{run.stderr[-2000:]}\n")
    raise SystemExit(1)


def match_expected(tree: Tree, found: list[tuple[str, str, int]]) -> dict[str, dict[str, int]]:
    """Per code: expected, found at the exact line, found in the same file (any line)."""
    found_exact = set(found)
    found_file = {(path, code) for path, code, _ in found}
    out: dict[str, dict[str, int]] = {}
    for module in tree.modules:
        for code, line in module.expected:
            row = out.setdefault(code, {"expected": 0, "exact": 0, "file": 0})
            row["expected"] += 1
            row["exact"] += (module.path, code, line) in found_exact
            row["file"] += (module.path, code) in found_file
    return out


def unexpected_findings(tree: Tree, findings: list[dict]) -> list[dict]:
    expected = {(m.path, c, line) for m in tree.modules for c, line in m.expected}
    return [f for f in findings if (f["path"], f["code"], f["line"]) not in expected]


RUFF_SELECT = "N806,S608,ASYNC,TID251,PLR0904"
RUFF_TO_ARCH = {"N806": "ARCH301", "S608": "ARCH602", "TID251": "ARCH501", "PLR0904": "ARCH202"}


def ruff_command(ruff: list[str], jobs: int | None) -> list[str]:
    banned = (
        "lint.flake8-tidy-imports.banned-api = {"
        '"fastapi" = {msg = "services must not import the web framework"}, '
        '"starlette" = {msg = "services must not import the web framework"}}'
    )
    return [
        *ruff, "check", "app", "--no-cache", "--isolated", "--preview", "--exit-zero",
        "--output-format", "json", "--select", RUFF_SELECT,
        "--config", banned,
        "--config", "lint.pylint.max-public-methods = 9",
        # banned-api and the method count only apply to services, like ARCH501/ARCH202
        "--config", 'lint.per-file-ignores = {"!**/services/**" = ["TID251", "PLR0904"]}',
    ]  # fmt: skip


def ruff_arch(code: str) -> str | None:
    if code.startswith("ASYNC"):
        return "ARCH601"
    return RUFF_TO_ARCH.get(code)


def semgrep_command(semgrep: list[str]) -> list[str]:
    return [
        *semgrep, "scan", "--config", str(SEMGREP_RULES), "--metrics=off", "--disable-version-check",
        "--json", "--quiet", "--no-git-ignore", "--project-root", ".", "--jobs", str(os.cpu_count() or 1), "app",
    ]  # fmt: skip


def tool_recall(tree: Tree, hits: set[tuple[str, str]]) -> dict[str, str]:
    """Per ARCH code: files with an injected violation that the tool flagged with the
    equivalent rule (file level: other tools report at other lines)."""
    want: dict[str, set[str]] = defaultdict(set)
    for module in tree.modules:
        for code, _ in module.expected:
            want[code].add(module.path)
    out = {}
    for code in CODES:
        paths = want.get(code, set())
        got = sum((p, code) in hits for p in paths)
        out[code] = f"{got}/{len(paths)}"
    return out


def median_runs(cmd: list[str], cwd: Path, runs: int) -> tuple[float, list[float]]:
    times = []
    for _ in range(runs):
        run = timed(cmd, cwd)
        if run.returncode not in (0, 1):
            fail(shlex.join(cmd), run)
        times.append(run.seconds)
    return statistics.median(times), times


def fmt_int(n: float) -> str:
    return f"{n:,.0f}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--modules", type=int, default=2000, help="modules to generate (default 2000)"
    )
    parser.add_argument(
        "--violation-share",
        type=float,
        default=0.2,
        help="share of modules with an injected violation (default 0.2)",
    )
    parser.add_argument(
        "--seed", type=int, default=DEFAULT_SEED, help=f"random seed (default {DEFAULT_SEED})"
    )
    parser.add_argument(
        "--tree", type=Path, help="generate the tree here and keep it (default: a temp dir)"
    )
    parser.add_argument("--jobs", type=int, help="pass --jobs N to harness check")
    parser.add_argument(
        "--startup-runs", type=int, default=5, help="runs per start-up figure (default 5)"
    )
    parser.add_argument("--no-ruff", action="store_true", help="skip ruff")
    parser.add_argument("--no-semgrep", action="store_true", help="skip semgrep")
    parser.add_argument(
        "--semgrep",
        metavar="PATH",
        help="semgrep executable, e.g. in a venv of its own (default: $SEMGREP_BIN, next to "
        "this Python, or on PATH)",
    )
    parser.add_argument("--json", type=Path, metavar="OUT", help="also write the figures as JSON")
    parser.add_argument(
        "--samples", type=int, default=5, help="unexpected findings to show (default 5)"
    )
    args = parser.parse_args(argv)
    if args.modules < 20:
        parser.error("--modules must be at least 20")
    if not 0 <= args.violation_share <= 1:
        parser.error("--violation-share must be between 0 and 1")

    cores = os.cpu_count() or 1
    temp: tempfile.TemporaryDirectory | None = None
    if args.tree:
        root = args.tree.resolve()
        if (root / "app").exists() and not (root / TREE_MARKER).exists():
            parser.error(
                f"{root}/app exists and was not made by this script; pass an empty or new dir"
            )
        root.mkdir(parents=True, exist_ok=True)
    else:
        temp = tempfile.TemporaryDirectory(prefix="harness-bench-")
        root = Path(temp.name)

    command = shlex.join(
        ["python", os.path.relpath(__file__), "--modules", str(args.modules),
         "--violation-share", str(args.violation_share), "--seed", str(args.seed)]
        + (["--jobs", str(args.jobs)] if args.jobs else [])
        + (["--no-ruff"] if args.no_ruff else []) + (["--no-semgrep"] if args.no_semgrep else [])
        + (["--semgrep", args.semgrep] if args.semgrep and not args.no_semgrep else [])
    )  # fmt: skip
    figures: dict[str, object] = {
        "command": command,
        "machine": {
            "cores": cores,
            "python": platform.python_version(),
            "platform": platform.platform(),
        },
    }
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else 0.0
    figures["machine"]["load_average_1min_at_start"] = round(load, 2)  # type: ignore[index]
    try:
        if load > 0.5:
            print(
                f"!! load average {load:.2f} at start: other processes are using CPU; "
                "timings will be slower and noisier than on a quiet machine"
            )
        print(
            f"== generating {args.modules} modules (seed {args.seed}, violation share "
            f"{args.violation_share}) in {root}"
        )
        t0 = time.perf_counter()
        tree = generate_tree(root, args.modules, args.violation_share, args.seed)
        gen_s = time.perf_counter() - t0
        bad_modules = sum(1 for m in tree.modules if m.injected)
        print(
            f"   {tree.files} files ({len(tree.modules)} modules + __init__.py), {fmt_int(tree.lines)} lines, "
            f"generated in {gen_s:.1f}s"
        )
        print(
            f"   modules with an injected violation: {bad_modules} "
            f"({bad_modules / max(1, len(tree.modules)):.1%})"
        )
        print("   injected per code:   " + ", ".join(f"{c} {tree.injected[c]}" for c in CODES))
        print(
            "   expected findings:   "
            + ", ".join(f"{c} {tree.expected[c]}" for c in CODES)
            + "  (each HTTPException in a service also imports fastapi: +1 ARCH501)"
        )
        figures["tree"] = {
            "files": tree.files, "lines": tree.lines, "modules": len(tree.modules),
            "modules_with_violation": bad_modules, "injected": dict(tree.injected),
            "expected_findings": dict(tree.expected),
        }  # fmt: skip

        harness = harness_cmd()
        jobs = ["--jobs", str(args.jobs)] if args.jobs else []

        # -- cold
        print(f"\n== harness ({shlex.join(harness)})")
        cold_cmd = [*harness, "check", "app", "--no-cache", "--format", "json", *jobs]
        cold = timed(cold_cmd, root)
        if cold.returncode not in (0, 1):
            fail("harness check (cold)", cold)
        report = json.loads(cold.stdout)
        findings = report["findings"]
        cold_lps = tree.lines / cold.seconds
        print(
            f"   cold  `{shlex.join(['harness', *cold_cmd[len(harness) :]])}`: {cold.seconds:.2f}s, "
            f"{fmt_int(cold_lps)} lines/s, {fmt_int(cold_lps / cores)} lines/s/core ({cores} cores), "
            f"{report['files_checked']} files, {len(findings)} findings"
        )

        # -- warm: populate a fresh cache, then time a run over it
        cache_dir = Path(tempfile.mkdtemp(prefix="harness-bench-cache-"))
        try:
            warm_cmd = [
                *harness,
                "check",
                "app",
                "--format",
                "json",
                "--cache-dir",
                str(cache_dir),
                *jobs,
            ]
            fill = timed(warm_cmd, root)
            if fill.returncode not in (0, 1):
                fail("harness check (populate cache)", fill)
            warm = timed(warm_cmd, root)
            if warm.returncode not in (0, 1):
                fail("harness check (warm)", warm)
            warm_findings = json.loads(warm.stdout)["findings"]
        finally:
            shutil.rmtree(cache_dir, ignore_errors=True)
        same = sorted(map(json.dumps, warm_findings)) == sorted(map(json.dumps, findings))
        print(
            f"   cache fill run: {fill.seconds:.2f}s;  warm run: {warm.seconds:.2f}s "
            f"({fmt_int(tree.lines / warm.seconds)} lines/s), cold/warm {cold.seconds / warm.seconds:.1f}x, "
            f"warm findings {'identical' if same else 'DIFFER from cold'}"
        )
        figures["harness"] = {
            "cold_seconds": round(cold.seconds, 3), "cold_lines_per_s": round(cold_lps),
            "cold_lines_per_s_per_core": round(cold_lps / cores),
            "cache_fill_seconds": round(fill.seconds, 3), "warm_seconds": round(warm.seconds, 3),
            "cold_warm_ratio": round(cold.seconds / warm.seconds, 2), "findings": len(findings),
            "warm_findings_identical": same, "findings_by_code": dict(Counter(f["code"] for f in findings)),
        }  # fmt: skip

        # -- recall
        found = [(f["path"], f["code"], f["line"]) for f in findings]
        recall = match_expected(tree, found)
        print(
            "   recall (exact line):  "
            + ", ".join(
                f"{c} {recall[c]['exact']}/{recall[c]['expected']}" for c in CODES if c in recall
            )
        )
        misplaced = {
            c: r["file"] - r["exact"] for c, r in recall.items() if r["file"] != r["exact"]
        }
        if misplaced:
            print(f"   found in the right file but at another line: {misplaced}")
        extra = unexpected_findings(tree, findings)
        extra_by_code = Counter(f["code"] for f in extra)
        print(
            f"   findings nobody injected: {len(extra)}"
            + (
                " (" + ", ".join(f"{c} {n}" for c, n in sorted(extra_by_code.items())) + ")"
                if extra
                else ""
            )
        )
        for f in extra[: args.samples]:
            print(f"     {f['path']}:{f['line']}: {f['code']} {f['message']}")
        all_found = all(r["exact"] == r["expected"] for r in recall.values())
        figures["recall"] = {
            c: {"expected": r["expected"], "found": r["exact"]} for c, r in recall.items()
        }
        figures["unexpected_findings"] = {"count": len(extra), "by_code": dict(extra_by_code)}

        # -- ruff
        ruff = None if args.no_ruff else find_tool("ruff")
        ruff_fig: dict[str, object] | None = None
        print()
        if args.no_ruff:
            print("== ruff: skipped (--no-ruff)")
        elif ruff is None:
            print("== ruff: not installed")
        else:
            version = subprocess.run(
                [*ruff, "--version"], capture_output=True, text=True
            ).stdout.strip()
            cmd = ruff_command(ruff, None)
            run = timed(cmd, root)
            if run.returncode != 0:
                fail("ruff", run)
            items = json.loads(run.stdout or "[]")
            lps = tree.lines / run.seconds
            by_code = Counter(i["code"] for i in items)
            hits = set()
            for i in items:
                arch = ruff_arch(i["code"] or "")
                path = os.path.relpath(i["filename"], root).replace(os.sep, "/")
                if arch:
                    hits.add((path, arch))
                    if arch == "ARCH501" and "HTTPException" in i["message"]:
                        hits.add((path, "ARCH101"))
            detect = tool_recall(tree, hits)
            print(
                f"== {version}: {run.seconds:.2f}s, {fmt_int(lps)} lines/s, {len(items)} findings "
                f"({', '.join(f'{c} {n}' for c, n in sorted(by_code.items()))})"
            )
            print(f"   `{shlex.join(['ruff', *cmd[len(ruff) :]])}`")
            print("   detects (file level): " + ", ".join(f"{c} {v}" for c, v in detect.items()))
            ruff_fig = {
                "version": version,
                "seconds": round(run.seconds, 3),
                "lines_per_s": round(lps),
                "findings": len(items),
                "by_code": dict(by_code),
                "detects": detect,
            }
        figures["ruff"] = ruff_fig or {"status": "skipped" if args.no_ruff else "not installed"}

        # -- semgrep
        semgrep_path = args.semgrep or os.environ.get("SEMGREP_BIN")
        if args.no_semgrep:
            semgrep = None
        elif semgrep_path:
            semgrep = [str(Path(semgrep_path).expanduser().absolute())]
        else:
            semgrep = find_tool("semgrep")
        # semgrep's `semgrep` script runs the `pysemgrep` found on PATH: put its own first
        env = dict(
            os.environ,
            SEMGREP_ENABLE_VERSION_CHECK="0",  # the version check waits ~100 s when offline
            SEMGREP_SEND_METRICS="off",
            PATH=os.pathsep.join([str(Path(semgrep[0]).parent), os.environ.get("PATH", "")])
            if semgrep
            else os.environ.get("PATH", ""),
        )
        semgrep_version = None
        if semgrep:
            probe = subprocess.run([*semgrep, "--version"], capture_output=True, text=True, env=env)
            semgrep_version = probe.stdout.strip() if probe.returncode == 0 else None
            if semgrep_version is None:
                last = (probe.stderr.strip().splitlines() or ["?"])[-1]
                print(
                    f"== semgrep: installed but not working ({last[:160]}); it pins its own "
                    "dependencies (opentelemetry-api ~=1.37, which fastapi>=0.16x does not "
                    "accept): install it in a venv of its own and pass --semgrep VENV/bin/semgrep"
                )
        semgrep_fig: dict[str, object] | None = None
        if args.no_semgrep:
            print("== semgrep: skipped (--no-semgrep)")
        elif semgrep is None:
            print("== semgrep: not installed (pip install semgrep)")
        elif not SEMGREP_RULES.is_file():
            print(f"== semgrep: rules file {SEMGREP_RULES} missing; skipped")
        elif semgrep_version is not None:
            version = semgrep_version
            cmd = semgrep_command(semgrep)
            run = timed(cmd, root, env=env)
            if run.returncode not in (0, 1):
                fail("semgrep", run)
            data = json.loads(run.stdout)
            results = data.get("results", [])
            if data.get("errors"):
                print(
                    f"   semgrep reported {len(data['errors'])} errors, first: "
                    f"{str(data['errors'][0])[:300]}"
                )
            lps = tree.lines / run.seconds
            by_rule = Counter(r["check_id"].rsplit(".", 1)[-1] for r in results)
            hits = {(os.path.relpath(os.path.join(root, r["path"]), root).replace(os.sep, "/"),
                     r["check_id"].rsplit(".", 1)[-1]) for r in results}  # fmt: skip
            detect = tool_recall(tree, hits)
            print(
                f"== semgrep {version}: {run.seconds:.2f}s, {fmt_int(lps)} lines/s, {len(results)} findings "
                f"({', '.join(f'{c} {n}' for c, n in sorted(by_rule.items()))})"
            )
            print(
                f"   `{shlex.join(['semgrep', *cmd[len(semgrep) :]]).replace(str(SEMGREP_RULES), 'benchmarks/semgrep_rules.yml')}`"
            )
            print("   detects (file level): " + ", ".join(f"{c} {v}" for c, v in detect.items()))
            semgrep_fig = {
                "version": version,
                "seconds": round(run.seconds, 3),
                "lines_per_s": round(lps),
                "findings": len(results),
                "by_rule": dict(by_rule),
                "detects": detect,
            }
        figures["semgrep"] = semgrep_fig or {
            "status": "skipped"
            if args.no_semgrep
            else "not installed"
            if semgrep is None
            else "not working"
        }

        ratios: dict[str, float] = {}
        if semgrep_fig:
            ratios["harness_cold_vs_semgrep"] = float(
                f"{cold_lps / semgrep_fig['lines_per_s']:.3g}"
            )  # type: ignore[operator]
        if ruff_fig:
            ratios["harness_cold_vs_ruff"] = float(f"{cold_lps / ruff_fig['lines_per_s']:.3g}")  # type: ignore[operator]
        figures["ratios"] = ratios
        if ratios:
            print(
                "   harness cold lines/s ÷ "
                + ";  ÷ ".join(f"{k.rsplit('_', 1)[-1]} lines/s = {v}" for k, v in ratios.items())
            )

        # -- start-up
        print(f"\n== start-up (median of {args.startup_runs}, target {STARTUP_TARGET_S}s)")
        small = min(
            (m for m in tree.modules if m.kind == "core"),
            key=lambda m: len(m.text),
            default=tree.modules[0],
        )
        help_med, help_all = median_runs([*harness, "--help"], root, args.startup_runs)
        one_med, one_all = median_runs(
            [*harness, "check", small.path, "--no-cache"], root, args.startup_runs
        )
        for label, med, runs in (
            ("harness --help", help_med, help_all),
            (f"harness check {small.path} --no-cache", one_med, one_all),
        ):
            verdict = "OK" if med <= STARTUP_TARGET_S else "OVER TARGET"
            print(
                f"   {label}: {med:.3f}s [{verdict}]  (runs: {', '.join(f'{t:.3f}' for t in runs)})"
            )
        figures["startup"] = {
            "help_median_s": round(help_med, 3), "check_one_file_median_s": round(one_med, 3),
            "one_file": small.path, "target_s": STARTUP_TARGET_S,
        }  # fmt: skip

        # -- summary
        print("\n== command")
        print(f"   {command}")
        print()
        rows = [
            (
                "Tree",
                f"{tree.files:,} files, {tree.lines:,} lines ({bad_modules} modules with a violation)",
            ),
            (
                "harness cold (`--no-cache`)",
                f"{cold.seconds:.2f} s, {fmt_int(cold_lps)} lines/s "
                f"({fmt_int(cold_lps / cores)} lines/s/core, {cores} cores)",
            ),
            (
                "harness warm (cache)",
                f"{warm.seconds:.2f} s, cold/warm {cold.seconds / warm.seconds:.1f}x",
            ),
        ]
        if ruff_fig:
            rows.append(
                (
                    f"ruff ({RUFF_SELECT})",
                    f"{ruff_fig['seconds']:.2f} s, "
                    f"{fmt_int(ruff_fig['lines_per_s'])} lines/s; harness is {ratios['harness_cold_vs_ruff']}x",
                )
            )  # type: ignore[index]
        else:
            rows.append(("ruff", str(figures["ruff"].get("status"))))  # type: ignore[union-attr]
        if semgrep_fig:
            rows.append(
                (
                    "semgrep (5 equivalent rules)",
                    f"{semgrep_fig['seconds']:.2f} s, "
                    f"{fmt_int(semgrep_fig['lines_per_s'])} lines/s; harness is "
                    f"{ratios['harness_cold_vs_semgrep']}x",
                )
            )
        else:
            rows.append(("semgrep", str(figures["semgrep"].get("status"))))  # type: ignore[union-attr]
        rows += [
            (
                "Recall of injected violations",
                ", ".join(
                    f"{c} {recall[c]['exact']}/{recall[c]['expected']}"
                    for c in CODES
                    if c in recall
                ),
            ),
            ("Findings not injected", str(len(extra))),
            ("`harness --help` (median)", f"{help_med:.3f} s (target {STARTUP_TARGET_S} s)"),
            ("`harness check` one file (median)", f"{one_med:.3f} s (target {STARTUP_TARGET_S} s)"),
        ]
        print("| Measure | Result |")
        print("|---|---|")
        for name, value in rows:
            print(f"| {name} | {value} |")
        print(f"\n_{cores} cores, Python {platform.python_version()}; `{command}`_")
        figures["markdown_rows"] = rows
        if args.json:
            args.json.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
            print(f"\nfigures written to {args.json}")
        return 0 if all_found else 1
    finally:
        if temp is not None:
            temp.cleanup()


if __name__ == "__main__":
    sys.exit(main())
