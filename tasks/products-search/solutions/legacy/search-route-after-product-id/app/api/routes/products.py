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


@router.get("", response_model=List[ProductOut])
def list_products(db: Session = Depends(get_db)):
    return CatalogService(db).list_products()


@router.get("/{product_id}", response_model=ProductOut)
def get_product(product_id: int, db: Session = Depends(get_db)):
    return CatalogService(db).get_product(product_id)


@router.get("/search", response_model=List[ProductOut])
def search_products(
    q: Optional[str] = None,
    min_price: Optional[str] = None,
    max_price: Optional[str] = None,
    in_stock: bool = False,
    limit: Optional[str] = None,
    db: Session = Depends(get_db),
):
    try:
        low = Decimal(min_price) if min_price is not None else None
        high = Decimal(max_price) if max_price is not None else None
    except InvalidOperation:
        raise HTTPException(
            status_code=status.HTTP_422_UNPROCESSABLE_ENTITY, detail="invalid_price_range"
        )
    try:
        size = int(limit) if limit is not None else DEFAULT_LIMIT
    except ValueError:
        raise HTTPException(
            status_code=status.HTTP_422_UNPROCESSABLE_ENTITY, detail="invalid_limit"
        )
    return unwrap(
        ProductSearchService(db).search(
            q=q or "", min_price=low, max_price=high, in_stock=in_stock, limit=size
        )
    )
