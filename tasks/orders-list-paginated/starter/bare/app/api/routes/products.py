from fastapi import APIRouter, Depends, HTTPException, Query
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.api.deps import get_db
from app.api.pagination import Page, PageParams, page_params, paginate
from app.models.product import Product
from app.schemas.product import ProductOut

router = APIRouter(prefix="/products", tags=["products"])


@router.get("", response_model=list[ProductOut])
def list_products(db: Session = Depends(get_db)) -> list[Product]:
    return list(db.scalars(select(Product).order_by(Product.id)))


@router.get("/search", response_model=Page[ProductOut])
def search_products(
    q: str = Query(..., min_length=1),
    params: PageParams = Depends(page_params),
    db: Session = Depends(get_db),
) -> Page:
    query = select(Product).where(Product.name.ilike(f"%{q}%")).order_by(Product.name, Product.id)
    return paginate(query, params, db)


@router.get("/{product_id}", response_model=ProductOut)
def get_product(product_id: int, db: Session = Depends(get_db)) -> Product:
    product = db.scalars(select(Product).where(Product.id == product_id)).first()
    if product is None:
        raise HTTPException(status_code=404, detail="not_found")
    return product
