from collections.abc import Sequence

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from app.models.product import Product


class ProductRepository:
    def __init__(self, db: Session) -> None:
        self.db = db

    def find(
        self,
        conditions: Sequence[ColumnElement[bool]],
        ordering: Sequence[ColumnElement],
        limit: int,
    ) -> Sequence[Product]:
        return self.db.scalars(
            select(Product).where(*conditions).order_by(*ordering).limit(limit)
        ).all()
