from collections.abc import Mapping, Sequence
from decimal import Decimal

from fastapi import HTTPException
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from app.models.order import ORDER_STATUS_PENDING, Order, OrderItem
from app.models.product import Product


class OrderService:
    def __init__(self, db: Session) -> None:
        self.db = db

    def create_order(self, user_id: int, items: Sequence[Mapping[str, int]]) -> Order:
        if not items:
            raise HTTPException(status_code=422, detail="items must not be empty")
        for line in items:
            if line["quantity"] < 1:
                raise HTTPException(status_code=422, detail="quantity must be at least 1")

        wanted: dict[int, int] = {}
        for line in items:
            wanted[line["product_id"]] = wanted.get(line["product_id"], 0) + line["quantity"]

        prices: dict[int, Decimal] = {}
        for product_id in wanted:
            product = self.db.scalars(
                select(Product).where(Product.id == product_id)
            ).first()
            if product is None:
                raise HTTPException(status_code=404, detail="not_found")
            prices[product_id] = product.price

        for product_id, quantity in wanted.items():
            result = self.db.execute(
                update(Product)
                .where(Product.id == product_id, Product.stock >= quantity)
                .values(stock=Product.stock - quantity)
                .execution_options(synchronize_session=False)
            )
            if result.rowcount != 1:
                self.db.rollback()
                raise HTTPException(status_code=409, detail="insufficient_stock")

        order = Order(user_id=user_id, status=ORDER_STATUS_PENDING, total=Decimal("0.00"))
        for line in items:
            unit_price = prices[line["product_id"]]
            order.items.append(
                OrderItem(
                    product_id=line["product_id"], quantity=line["quantity"], unit_price=unit_price
                )
            )
            order.total += unit_price * line["quantity"]
        self.db.add(order)
        self.db.commit()
        return order
