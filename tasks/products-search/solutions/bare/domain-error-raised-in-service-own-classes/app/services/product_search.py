"""Storefront product search: every word of the query in the name or the SKU, best first."""

from decimal import Decimal

from sqlalchemy import case, func, or_, select
from sqlalchemy.orm import Session

from app.models.product import Product

MAX_QUERY_LENGTH = 100
MIN_LIMIT = 1
MAX_LIMIT = 50
DEFAULT_LIMIT = 20


class InvalidSearchError(Exception):
    """A search parameter is out of bounds; `code` says which one."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


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
    ) -> list[Product]:
        query = q.strip()
        if not query or len(query) > MAX_QUERY_LENGTH:
            raise InvalidSearchError("invalid_query")
        for price in (min_price, max_price):
            if price is not None and (not price.is_finite() or price < 0):
                raise InvalidSearchError("invalid_price_range")
        if min_price is not None and max_price is not None and min_price > max_price:
            raise InvalidSearchError("invalid_price_range")
        if not MIN_LIMIT <= limit <= MAX_LIMIT:
            raise InvalidSearchError("invalid_limit")

        words = query.lower().split()
        statement = select(Product).where(
            *(
                or_(
                    Product.name.icontains(word, autoescape=True),
                    Product.sku.icontains(word, autoescape=True),
                )
                for word in words
            )
        )
        if min_price is not None:
            statement = statement.where(Product.price >= min_price)
        if max_price is not None:
            statement = statement.where(Product.price <= max_price)
        if in_stock:
            statement = statement.where(Product.stock > 0)
        rank = case(
            (func.lower(Product.sku) == query.lower(), 0),
            (Product.name.istartswith(words[0], autoescape=True), 1),
            else_=2,
        )
        statement = statement.order_by(rank, func.lower(Product.name), Product.id).limit(limit)
        return list(self.db.scalars(statement))
