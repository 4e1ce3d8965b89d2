"""Storefront product search: every word of the query in the name or the SKU, best first."""

from decimal import Decimal

from sqlalchemy import ColumnElement, case, func, or_
from sqlalchemy.orm import Session

from app.core.result import Result, failure, success
from app.domain.exceptions import ValidationFailedError
from app.models.product import Product
from app.repositories.product_search_repository import ProductSearchRepository

MAX_QUERY_LENGTH = 100
MIN_LIMIT = 1
MAX_LIMIT = 50
DEFAULT_LIMIT = 20

INVALID_QUERY = "invalid_query"
INVALID_PRICE_RANGE = "invalid_price_range"
INVALID_LIMIT = "invalid_limit"

# Ranking groups, best first.
RANK_EXACT_SKU = 0
RANK_NAME_PREFIX = 1
RANK_OTHER = 2


def _valid_price(price: Decimal | None) -> bool:
    return price is None or (price.is_finite() and price >= 0)


class ProductSearchService:
    def __init__(self, db: Session) -> None:
        self.db = db
        self.repository = ProductSearchRepository(db)

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
        conditions: list[ColumnElement[bool]] = [
            or_(
                Product.name.icontains(word, autoescape=True),
                Product.sku.icontains(word, autoescape=True),
            )
            for word in words
        ]
        if min_price is not None:
            conditions.append(Product.price >= min_price)
        if max_price is not None:
            conditions.append(Product.price <= max_price)
        if in_stock:
            conditions.append(Product.stock > 0)

        rank = case(
            (func.lower(Product.sku) == query.lower(), RANK_EXACT_SKU),
            (Product.name.istartswith(words[0], autoescape=True), RANK_NAME_PREFIX),
            else_=RANK_OTHER,
        )
        return success(list(self.repository.find_ranked(conditions, rank, limit)))
