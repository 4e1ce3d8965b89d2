from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.result import Result, failure, success
from app.domain.exceptions import NotFoundError
from app.models.product import Product


class CatalogService:
    def __init__(self, db: Session) -> None:
        self.db = db

    def list_products(self) -> list[Product]:
        return list(self.db.scalars(select(Product).order_by(Product.id)))

    def get_product(self, product_id: int) -> Result[Product, NotFoundError]:
        product = self.db.get(Product, product_id)
        if product is None:
            return failure(NotFoundError())
        return success(product)
