"""Catalogue search: narrow in the database, rank the (few) matches in Python."""

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from app.core.result import Failure, Result, failure, success
from app.domain.exceptions import ValidationFailedError
from app.models.product import Product

QUERY_MAX_CHARS = 100
LIMIT_RANGE = range(1, 51)
DEFAULT_LIMIT = 20
LIKE_ESCAPE = "\\"

GROUP_EXACT_SKU = 0
GROUP_NAME_STARTS_WITH_FIRST_WORD = 1
GROUP_OTHER_MATCHES = 2


@dataclass(frozen=True)
class SearchCriteria:
    text: str
    words: tuple[str, ...]
    min_price: Decimal | None
    max_price: Decimal | None
    in_stock: bool
    limit: int


def _is_price(value: Decimal | None) -> bool:
    return value is None or (value.is_finite() and not value.is_signed())


def criteria_from(
    q: str,
    min_price: Decimal | None,
    max_price: Decimal | None,
    in_stock: bool,
    limit: int,
) -> Result[SearchCriteria, ValidationFailedError]:
    text = q.strip().lower()
    if not 0 < len(text) <= QUERY_MAX_CHARS:
        return failure(ValidationFailedError("invalid_query"))
    if not (_is_price(min_price) and _is_price(max_price)):
        return failure(ValidationFailedError("invalid_price_range"))
    if None not in (min_price, max_price) and min_price > max_price:
        return failure(ValidationFailedError("invalid_price_range"))
    if limit not in LIMIT_RANGE:
        return failure(ValidationFailedError("invalid_limit"))
    return success(SearchCriteria(text, tuple(text.split()), min_price, max_price, in_stock, limit))


def _like_pattern(word: str) -> str:
    for special in (LIKE_ESCAPE, "%", "_"):
        word = word.replace(special, LIKE_ESCAPE + special)
    return f"%{word}%"


def _group(product: Product, criteria: SearchCriteria) -> int:
    if product.sku.lower() == criteria.text:
        return GROUP_EXACT_SKU
    if product.name.lower().startswith(criteria.words[0]):
        return GROUP_NAME_STARTS_WITH_FIRST_WORD
    return GROUP_OTHER_MATCHES


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
        checked = criteria_from(q, min_price, max_price, in_stock, limit)
        if isinstance(checked, Failure):
            return checked
        criteria = checked.value
        matches = self._matches(criteria)
        matches.sort(key=lambda p: (_group(p, criteria), p.name.lower(), p.id))
        return success(matches[: criteria.limit])

    def _matches(self, criteria: SearchCriteria) -> list[Product]:
        name, sku = func.lower(Product.name), func.lower(Product.sku)
        conditions = [
            or_(
                name.like(_like_pattern(word), escape=LIKE_ESCAPE),
                sku.like(_like_pattern(word), escape=LIKE_ESCAPE),
            )
            for word in criteria.words
        ]
        if criteria.min_price is not None:
            conditions.append(Product.price >= criteria.min_price)
        if criteria.max_price is not None:
            conditions.append(Product.price <= criteria.max_price)
        if criteria.in_stock:
            conditions.append(Product.stock > 0)
        return list(self.db.scalars(select(Product).where(*conditions)))
