from decimal import Decimal, InvalidOperation
from typing import Any

from fastapi import APIRouter, Depends, HTTPException
from sqlalchemy import Numeric, bindparam, select, text
from sqlalchemy.orm import Session

from app.api.deps import get_db
from app.models.product import Product
from app.schemas.product import ProductOut

router = APIRouter(prefix="/products", tags=["products"])

MAX_QUERY_LENGTH = 100
MAX_LIMIT = 50
DEFAULT_LIMIT = 20


def _price(raw: str | None) -> Decimal | None:
    if raw is None:
        return None
    try:
        price = Decimal(raw)
    except InvalidOperation:
        raise HTTPException(status_code=422, detail="invalid_price_range") from None
    if not price.is_finite() or price < 0:
        raise HTTPException(status_code=422, detail="invalid_price_range")
    return price


def _like(value: str) -> str:
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


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
    query = q.strip()
    if not query or len(query) > MAX_QUERY_LENGTH:
        raise HTTPException(status_code=422, detail="invalid_query")
    low, high = _price(min_price), _price(max_price)
    if low is not None and high is not None and low > high:
        raise HTTPException(status_code=422, detail="invalid_price_range")
    try:
        size = DEFAULT_LIMIT if limit is None else int(limit)
    except ValueError:
        raise HTTPException(status_code=422, detail="invalid_limit") from None
    if not 1 <= size <= MAX_LIMIT:
        raise HTTPException(status_code=422, detail="invalid_limit")

    words = query.lower().split()
    where = []
    params: dict[str, Any] = {
        "exact": query.lower(),
        "prefix": _like(words[0]) + "%",
        "limit": size,
    }
    for i, word in enumerate(words):
        where.append(f"(lower(name) LIKE :w{i} ESCAPE '\\' OR lower(sku) LIKE :w{i} ESCAPE '\\')")
        params[f"w{i}"] = "%" + _like(word) + "%"
    if low is not None:
        where.append("price >= :low")
        params["low"] = low
    if high is not None:
        where.append("price <= :high")
        params["high"] = high
    if in_stock:
        where.append("stock > 0")
    statement = text(
        f"SELECT * FROM products WHERE {' AND '.join(where)} "
        "ORDER BY CASE WHEN lower(sku) = :exact THEN 0 "
        "WHEN lower(name) LIKE :prefix ESCAPE '\\' THEN 1 ELSE 2 END, lower(name), id "
        "LIMIT :limit"
    ).bindparams(
        *(bindparam(name, type_=Numeric(10, 2)) for name in ("low", "high") if name in params)
    )
    return list(db.scalars(select(Product).from_statement(statement), params))


@router.get("/{product_id}", response_model=ProductOut)
def get_product(product_id: int, db: Session = Depends(get_db)) -> Product:
    product = db.scalars(select(Product).where(Product.id == product_id)).first()
    if product is None:
        raise HTTPException(status_code=404, detail="not_found")
    return product
