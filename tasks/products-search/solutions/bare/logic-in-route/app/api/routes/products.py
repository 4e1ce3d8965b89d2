from decimal import Decimal, InvalidOperation

from fastapi import APIRouter, Depends, HTTPException
from sqlalchemy import case, func, or_, select
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
    statement = select(Product)
    for word in words:
        statement = statement.where(
            or_(
                Product.name.icontains(word, autoescape=True),
                Product.sku.icontains(word, autoescape=True),
            )
        )
    if low is not None:
        statement = statement.where(Product.price >= low)
    if high is not None:
        statement = statement.where(Product.price <= high)
    if in_stock:
        statement = statement.where(Product.stock > 0)
    rank = case(
        (func.lower(Product.sku) == query.lower(), 0),
        (Product.name.istartswith(words[0], autoescape=True), 1),
        else_=2,
    )
    statement = statement.order_by(rank, func.lower(Product.name), Product.id).limit(size)
    return list(db.scalars(statement))


@router.get("/{product_id}", response_model=ProductOut)
def get_product(product_id: int, db: Session = Depends(get_db)) -> Product:
    product = db.scalars(select(Product).where(Product.id == product_id)).first()
    if product is None:
        raise HTTPException(status_code=404, detail="not_found")
    return product
