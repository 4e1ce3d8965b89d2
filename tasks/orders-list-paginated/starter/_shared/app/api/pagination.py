"""Page-based pagination for list endpoints.

`?page=` is 1-based (default 1) and `?size=` is the number of items per page (default 20,
at most 50); a page or size out of range answers 422 `{"detail": "invalid_page"}`. A
paginated endpoint answers `{"items": [...], "page", "size", "total", "pages"}`, e.g.
`GET /products/search` in app/api/routes/products.py.
"""

from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from fastapi import HTTPException, Query
from pydantic import BaseModel
from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 50
INVALID_PAGE = "invalid_page"

T = TypeVar("T")


@dataclass(frozen=True)
class PageParams:
    page: int = 1
    size: int = DEFAULT_PAGE_SIZE

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.size


def page_params(
    page: int = Query(1, description="1-based page number"),
    size: int = Query(DEFAULT_PAGE_SIZE, description=f"items per page, 1 to {MAX_PAGE_SIZE}"),
) -> PageParams:
    """The `page` and `size` query parameters of a paginated endpoint."""
    if page < 1 or not 1 <= size <= MAX_PAGE_SIZE:
        raise HTTPException(status_code=422, detail=INVALID_PAGE)
    return PageParams(page=page, size=size)


def page_count(total: int, size: int) -> int:
    """How many pages of `size` items `total` items fill (0 for no items)."""
    return (total + size - 1) // size


class Page(BaseModel, Generic[T]):
    items: list[T]
    page: int
    size: int
    total: int
    pages: int

    @classmethod
    def build(cls, items: list[Any], total: int, params: PageParams) -> "Page[T]":
        return cls(
            items=items,
            page=params.page,
            size=params.size,
            total=total,
            pages=page_count(total, params.size),
        )


def paginate(query: Select[Any], params: PageParams, session: Session) -> Page[Any]:
    """Run `query` for one page (offset/limit) and count all its rows."""
    total = session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    items = list(session.scalars(query.offset(params.offset).limit(params.size)))
    return Page.build(items, total or 0, params)
