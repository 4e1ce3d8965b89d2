"""Stock reservations, one atomic statement per product.

The reservation is a single `UPDATE ... WHERE stock >= :quantity RETURNING price`: the
check and the decrement cannot be separated by another transaction, on SQLite (which has
no row locks and ignores FOR UPDATE) as on PostgreSQL (which re-checks the condition
after waiting for a concurrent writer). The price comes back from the same statement.
"""

from decimal import Decimal

from sqlalchemy import exists, select, update
from sqlalchemy.orm import Session

from app.models.product import Product


def take_stock(db: Session, product_id: int, quantity: int) -> Decimal | None:
    """Decrement the stock of `product_id` by `quantity` if that many are left.

    Returns the product's current price, or None when nothing was taken (the product is
    missing or has fewer than `quantity` units). The change is part of the caller's
    transaction: rolling back gives the units back.
    """
    statement = (
        update(Product)
        .where(Product.id == product_id, Product.stock >= quantity)
        .values(stock=Product.stock - quantity)
        .returning(Product.price)
        .execution_options(synchronize_session=False)
    )
    return db.execute(statement).scalar_one_or_none()


def product_exists(db: Session, product_id: int) -> bool:
    return bool(db.scalar(select(exists().where(Product.id == product_id))))
