from decimal import Decimal, InvalidOperation

from fastapi import APIRouter, Depends
from sqlalchemy.orm import Session

from app.api.deps import get_db
from app.api.errors import raise_for, unwrap
from app.domain.exceptions import ValidationFailedError
from app.models.product import Product
from app.schemas.product import ProductOut
from app.services.product_search import (
    DEFAULT_LIMIT,
    INVALID_LIMIT,
    INVALID_PRICE_RANGE,
    ProductSearchService,
)

router = APIRouter(prefix="/products", tags=["products"])


def _price(raw: str | None) -> Decimal | None:
    if raw is None:
        return None
    try:
        return Decimal(raw)
    except InvalidOperation:
        raise_for(ValidationFailedError(INVALID_PRICE_RANGE))


def _limit(raw: str | None) -> int:
    if raw is None:
        return DEFAULT_LIMIT
    try:
        return int(raw)
    except ValueError:
        raise_for(ValidationFailedError(INVALID_LIMIT))


@router.get("/search", response_model=list[ProductOut])
def search_products(
    q: str | None = None,
    min_price: str | None = None,
    max_price: str | None = None,
    in_stock: bool = False,
    limit: str | None = None,
    db: Session = Depends(get_db),
) -> list[Product]:
    result = ProductSearchService(db).search(
        q=q or "",
        min_price=_price(min_price),
        max_price=_price(max_price),
        in_stock=in_stock,
        limit=_limit(limit),
    )
    return unwrap(result)
