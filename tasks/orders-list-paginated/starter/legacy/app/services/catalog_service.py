from typing import List, Optional

from fastapi import HTTPException, status
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.api.pagination import Page, PageParams, paginate
from app.models.product import Product
from app.repositories.product_repository import ProductRepository


class CatalogService:
    def __init__(self, db: Session, products: Optional[ProductRepository] = None) -> None:
        self.db = db
        self.products = products or ProductRepository(db)

    def list_products(self) -> List[Product]:
        return self.products.list_all()

    def search_products(self, q: str, params: PageParams) -> Page:
        query = (
            select(Product).where(Product.name.ilike(f"%{q}%")).order_by(Product.name, Product.id)
        )
        return paginate(query, params, self.db)

    def get_product(self, product_id: int) -> Product:
        product = self.products.get(product_id)
        if product is None:
            raise HTTPException(status_code=status.HTTP_404_NOT_FOUND, detail="not_found")
        return product
