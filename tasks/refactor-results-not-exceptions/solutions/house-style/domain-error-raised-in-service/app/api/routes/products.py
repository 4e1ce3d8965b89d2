from fastapi import APIRouter, Depends, status
from sqlalchemy.orm import Session

from app.api.deps import get_current_user, get_db
from app.models.product import Product
from app.models.user import User
from app.schemas.product import PriceUpdate, ProductCreate, ProductOut, RestockIn
from app.services.catalog_service import CatalogService

router = APIRouter(prefix="/products", tags=["products"])


@router.get("/{product_id}", response_model=ProductOut)
def get_product(product_id: int, db: Session = Depends(get_db)) -> Product:
    return CatalogService(db).get_product(product_id)


@router.post("", response_model=ProductOut, status_code=status.HTTP_201_CREATED)
def create_product(
    payload: ProductCreate,
    _user: User = Depends(get_current_user),
    db: Session = Depends(get_db),
) -> Product:
    return CatalogService(db).create_product(
        payload.sku, payload.name, payload.price, payload.stock
    )


@router.patch("/{product_id}/price", response_model=ProductOut)
def update_price(
    product_id: int,
    payload: PriceUpdate,
    _user: User = Depends(get_current_user),
    db: Session = Depends(get_db),
) -> Product:
    return CatalogService(db).update_price(product_id, payload.price)


@router.post("/{product_id}/restock", response_model=ProductOut)
def restock(
    product_id: int,
    payload: RestockIn,
    _user: User = Depends(get_current_user),
    db: Session = Depends(get_db),
) -> Product:
    return CatalogService(db).restock(product_id, payload.quantity)
