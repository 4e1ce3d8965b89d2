from typing import List

from fastapi import APIRouter, Depends
from sqlalchemy.orm import Session

from app.api.deps import get_db
from app.api.pagination import Page, PageParams, page_params
from app.schemas.product import ProductOut
from app.services.catalog_service import CatalogService

router = APIRouter(prefix="/products", tags=["products"])


@router.get("", response_model=List[ProductOut])
def list_products(db: Session = Depends(get_db)):
    return CatalogService(db).list_products()


@router.get("/search", response_model=Page[ProductOut])
def search_products(
    q: str, params: PageParams = Depends(page_params), db: Session = Depends(get_db)
):
    return CatalogService(db).search_products(q, params)


@router.get("/{product_id}", response_model=ProductOut)
def get_product(product_id: int, db: Session = Depends(get_db)):
    return CatalogService(db).get_product(product_id)
