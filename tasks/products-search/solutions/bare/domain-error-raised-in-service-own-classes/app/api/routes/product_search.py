from decimal import Decimal, InvalidOperation

from fastapi import APIRouter, Depends, HTTPException
from sqlalchemy.orm import Session

from app.api.deps import get_db
from app.models.product import Product
from app.schemas.product import ProductOut
from app.services.product_search import DEFAULT_LIMIT, InvalidSearchError, ProductSearchService

router = APIRouter(prefix="/products", tags=["products"])


def _price(raw: str | None) -> Decimal | None:
    if raw is None:
        return None
    try:
        return Decimal(raw)
    except InvalidOperation:
        raise HTTPException(status_code=422, detail="invalid_price_range") from None


@router.get("/search", response_model=list[ProductOut])
def search_products(
    q: str = "",
    min_price: str | None = None,
    max_price: str | None = None,
    in_stock: bool = False,
    limit: str | None = None,
    db: Session = Depends(get_db),
) -> list[Product]:
    try:
        size = DEFAULT_LIMIT if limit is None else int(limit)
    except ValueError:
        raise HTTPException(status_code=422, detail="invalid_limit") from None
    try:
        return ProductSearchService(db).search(
            q=q,
            min_price=_price(min_price),
            max_price=_price(max_price),
            in_stock=in_stock,
            limit=size,
        )
    except InvalidSearchError as error:
        raise HTTPException(status_code=422, detail=error.code) from None
