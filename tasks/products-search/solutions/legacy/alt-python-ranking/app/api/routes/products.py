from decimal import Decimal, InvalidOperation
from typing import List, Optional

from fastapi import APIRouter, Depends, HTTPException, status
from sqlalchemy.orm import Session

from app.api.deps import get_db
from app.api.errors import unwrap
from app.schemas.product import ProductOut
from app.services.catalog_service import CatalogService
from app.services.product_search import DEFAULT_LIMIT, ProductSearchService

router = APIRouter(prefix="/products", tags=["products"])


def _unprocessable(code: str) -> HTTPException:
    return HTTPException(status_code=status.HTTP_422_UNPROCESSABLE_ENTITY, detail=code)


def _as_price(raw: Optional[str]) -> Optional[Decimal]:
    try:
        return None if raw is None else Decimal(raw.strip())
    except InvalidOperation:
        raise _unprocessable("invalid_price_range") from None


def _as_limit(raw: Optional[str]) -> int:
    if raw is None:
        return DEFAULT_LIMIT
    if not raw.strip().lstrip("+-").isdigit():
        raise _unprocessable("invalid_limit")
    return int(raw)


@router.get("", response_model=List[ProductOut])
def list_products(db: Session = Depends(get_db)):
    return CatalogService(db).list_products()


@router.get("/search", response_model=List[ProductOut])
def search_products(
    q: str = "",
    min_price: Optional[str] = None,
    max_price: Optional[str] = None,
    in_stock: bool = False,
    limit: Optional[str] = None,
    db: Session = Depends(get_db),
):
    search = ProductSearchService(db).search(
        q=q,
        min_price=_as_price(min_price),
        max_price=_as_price(max_price),
        in_stock=in_stock,
        limit=_as_limit(limit),
    )
    return unwrap(search)


@router.get("/{product_id}", response_model=ProductOut)
def get_product(product_id: int, db: Session = Depends(get_db)):
    return CatalogService(db).get_product(product_id)
