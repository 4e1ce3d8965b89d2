"""Storefront product search: every word of the query in the name or the SKU, best first."""

from decimal import Decimal
from typing import Any, Dict, List, Optional

from sqlalchemy import Numeric, bindparam, select, text
from sqlalchemy.orm import Session

from app.core.result import Result, failure, success
from app.domain.exceptions import ValidationFailedError
from app.models.product import Product

MAX_QUERY_LENGTH = 100
MIN_LIMIT = 1
MAX_LIMIT = 50
DEFAULT_LIMIT = 20

INVALID_QUERY = "invalid_query"
INVALID_PRICE_RANGE = "invalid_price_range"
INVALID_LIMIT = "invalid_limit"


def _like(value: str) -> str:
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _valid_price(price: Optional[Decimal]) -> bool:
    return price is None or (price.is_finite() and price >= 0)


class ProductSearchService:
    def __init__(self, db: Session) -> None:
        self.db = db

    def search(
        self,
        q: str,
        min_price: Optional[Decimal] = None,
        max_price: Optional[Decimal] = None,
        in_stock: bool = False,
        limit: int = DEFAULT_LIMIT,
    ) -> Result[List[Product], ValidationFailedError]:
        query = q.strip()
        if not query or len(query) > MAX_QUERY_LENGTH:
            return failure(ValidationFailedError(INVALID_QUERY))
        if not (_valid_price(min_price) and _valid_price(max_price)):
            return failure(ValidationFailedError(INVALID_PRICE_RANGE))
        if min_price is not None and max_price is not None and min_price > max_price:
            return failure(ValidationFailedError(INVALID_PRICE_RANGE))
        if not MIN_LIMIT <= limit <= MAX_LIMIT:
            return failure(ValidationFailedError(INVALID_LIMIT))

        words = query.lower().split()
        params: Dict[str, Any] = {
            "exact": query.lower(),
            "prefix": _like(words[0]) + "%",
            "limit": limit,
        }
        sql = """
            SELECT p.id,
                   CASE
                       WHEN lower(p.sku) = :exact THEN 0
                       WHEN lower(p.name) LIKE :prefix ESCAPE '\\' THEN 1
                       ELSE 2
                   END AS rank
            FROM products p
            WHERE 1 = 1
        """
        for index, word in enumerate(words):
            sql += (
                f" AND (lower(p.name) LIKE :word{index} ESCAPE '\\'"
                f" OR lower(p.sku) LIKE :word{index} ESCAPE '\\')"
            )
            params[f"word{index}"] = "%" + _like(word) + "%"
        if min_price is not None:
            sql += " AND p.price >= :min_price"
            params["min_price"] = min_price
        if max_price is not None:
            sql += " AND p.price <= :max_price"
            params["max_price"] = max_price
        if in_stock:
            sql += " AND p.stock > 0"
        sql += " ORDER BY rank, lower(p.name), p.id LIMIT :limit"

        statement = text(sql)
        for name in ("min_price", "max_price"):
            if name in params:
                statement = statement.bindparams(bindparam(name, type_=Numeric(10, 2)))
        ids = [row.id for row in self.db.execute(statement, params)]
        products = {p.id: p for p in self.db.scalars(select(Product).where(Product.id.in_(ids)))}
        return success([products[product_id] for product_id in ids])
