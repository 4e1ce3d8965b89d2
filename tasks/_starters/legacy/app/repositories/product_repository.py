from typing import Optional

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models.product import Product


class ProductRepository:
    def __init__(self, db: Session) -> None:
        self.db = db

    def get(self, product_id: int) -> Optional[Product]:
        return self.db.get(Product, product_id)

    def get_by_sku(self, sku: str) -> Optional[Product]:
        return self.db.scalars(select(Product).where(Product.sku == sku)).first()

    def list_all(self) -> list[Product]:
        return list(self.db.scalars(select(Product).order_by(Product.id)))
