"""Storefront product search: every word of the query in the name or the SKU, best first."""

from decimal import Decimal

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


def _like_escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _valid_price(price: Decimal | None) -> bool:
    return price is None or (price.is_finite() and price >= 0)


class ProductSearchService:
    def __init__(self, db: Session) -> None:
        self.db = db

    def search(
        self,
        q: str,
        min_price: Decimal | None = None,
        max_price: Decimal | None = None,
        in_stock: bool = False,
        limit: int = DEFAULT_LIMIT,
    ) -> Result[list[Product], ValidationFailedError]:
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
        conditions = []
        params: dict[str, object] = {
            "exact": query.lower(),
            "prefix": _like_escape(words[0]) + "%",
            "limit": limit,
        }
        for i, word in enumerate(words):
            conditions.append(
                f"(lower(p.name) LIKE :w{i} ESCAPE '\\' OR lower(p.sku) LIKE :w{i} ESCAPE '\\')"
            )
            params[f"w{i}"] = f"%{_like_escape(word)}%"
        prices = []
        if min_price is not None:
            conditions.append("p.price >= :min_price")
            params["min_price"] = min_price
            prices.append(bindparam("min_price", type_=Numeric(10, 2)))
        if max_price is not None:
            conditions.append("p.price <= :max_price")
            params["max_price"] = max_price
            prices.append(bindparam("max_price", type_=Numeric(10, 2)))
        if in_stock:
            conditions.append("p.stock > 0")

        sql = f"""
            SELECT p.*
            FROM products p
            WHERE {" AND ".join(conditions)}
            ORDER BY
                CASE
                    WHEN lower(p.sku) = :exact THEN 0
                    WHEN lower(p.name) LIKE :prefix ESCAPE '\\' THEN 1
                    ELSE 2
                END,
                lower(p.name),
                p.id
            LIMIT :limit
        """
        statement = select(Product).from_statement(text(sql).bindparams(*prices))
        return success(list(self.db.scalars(statement, params)))
