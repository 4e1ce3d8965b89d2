from decimal import Decimal
from typing import List, Optional

from sqlalchemy import case, func, or_, select
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

    def search(
        self,
        words: List[str],
        exact_sku: str,
        min_price: Optional[Decimal],
        max_price: Optional[Decimal],
        in_stock: bool,
        limit: int,
    ) -> List[Product]:
        query = select(Product).where(
            *(
                or_(
                    Product.name.icontains(word, autoescape=True),
                    Product.sku.icontains(word, autoescape=True),
                )
                for word in words
            )
        )
        if min_price is not None:
            query = query.where(Product.price >= min_price)
        if max_price is not None:
            query = query.where(Product.price <= max_price)
        if in_stock:
            query = query.where(Product.stock > 0)
        rank = case(
            (func.lower(Product.sku) == exact_sku.lower(), 0),
            (Product.name.istartswith(words[0], autoescape=True), 1),
            else_=2,
        )
        query = query.order_by(rank, func.lower(Product.name), Product.id).limit(limit)
        return list(self.db.scalars(query))
