"""Storefront product search: every word of the query in the name or the SKU, best first."""

from decimal import Decimal
from typing import List, Optional

from sqlalchemy.orm import Session

from app.core.result import Result, failure, success
from app.domain.exceptions import ValidationFailedError
from app.models.product import Product
from app.repositories.product_repository import ProductRepository

MAX_QUERY_LENGTH = 100
MIN_LIMIT = 1
MAX_LIMIT = 50
DEFAULT_LIMIT = 20

INVALID_QUERY = "invalid_query"
INVALID_PRICE_RANGE = "invalid_price_range"
INVALID_LIMIT = "invalid_limit"


def _valid_price(price: Optional[Decimal]) -> bool:
    return price is None or (price.is_finite() and price >= 0)


class ProductSearchService:
    def __init__(self, db: Session, products: Optional[ProductRepository] = None) -> None:
        self.db = db
        self.products = products or ProductRepository(db)

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
        return success(
            self.products.search(
                words=query.lower().split(),
                exact_sku=query,
                min_price=min_price,
                max_price=max_price,
                in_stock=in_stock,
                limit=limit,
            )
        )
