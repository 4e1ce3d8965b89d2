from decimal import Decimal, InvalidOperation

from fastapi import APIRouter, Depends, HTTPException
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.api.deps import get_db
from app.api.errors import unwrap
from app.models.product import Product
from app.schemas.product import ProductOut
from app.services.product_search import DEFAULT_LIMIT, ProductSearchService

router = APIRouter(prefix="/products", tags=["products"])


def _unprocessable(code: str) -> HTTPException:
    return HTTPException(status_code=422, detail=code)


def _as_price(raw: str | None) -> Decimal | None:
    try:
        return None if raw is None else Decimal(raw.strip())
    except InvalidOperation:
        raise _unprocessable("invalid_price_range") from None


def _as_limit(raw: str | None) -> int:
    if raw is None:
        return DEFAULT_LIMIT
    if not raw.strip().lstrip("+-").isdigit():
        raise _unprocessable("invalid_limit")
    return int(raw)


@router.get("", response_model=list[ProductOut])
def list_products(db: Session = Depends(get_db)) -> list[Product]:
    return list(db.scalars(select(Product).order_by(Product.id)))


@router.get("/search", response_model=list[ProductOut])
def search_products(
    q: str = "",
    min_price: str | None = None,
    max_price: str | None = None,
    in_stock: bool = False,
    limit: str | None = None,
    db: Session = Depends(get_db),
) -> list[Product]:
    search = ProductSearchService(db).search(
        q=q,
        min_price=_as_price(min_price),
        max_price=_as_price(max_price),
        in_stock=in_stock,
        limit=_as_limit(limit),
    )
    return unwrap(search)


@router.get("/{product_id}", response_model=ProductOut)
def get_product(product_id: int, db: Session = Depends(get_db)) -> Product:
    product = db.scalars(select(Product).where(Product.id == product_id)).first()
    if product is None:
        raise HTTPException(status_code=404, detail="not_found")
    return product
