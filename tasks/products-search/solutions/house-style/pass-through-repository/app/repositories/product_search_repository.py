"""Database access for the storefront product search."""

from collections.abc import Sequence

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from app.models.product import Product


class ProductSearchRepository:
    def __init__(self, db: Session) -> None:
        self.db = db

    def find_ranked(
        self,
        conditions: Sequence[ColumnElement[bool]],
        rank: ColumnElement[int],
        limit: int,
    ) -> Sequence[Product]:
        """The products meeting every condition, by rank, then name (any case), then id."""
        return self.db.scalars(
            select(Product)
            .where(*conditions)
            .order_by(rank, func.lower(Product.name), Product.id)
            .limit(limit)
        ).all()
