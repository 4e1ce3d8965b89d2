from collections import Counter
from decimal import Decimal
from typing import List, Mapping, Sequence

from fastapi import HTTPException, status
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from app.models.order import ORDER_STATUS_PENDING, Order, OrderItem
from app.models.product import Product

MIN_QUANTITY = 1


class OrderService:
    def __init__(self, db: Session) -> None:
        self.db = db

    def create_order(self, user_id: int, items: Sequence[Mapping[str, int]]) -> Order:
        if not items:
            raise HTTPException(
                status_code=status.HTTP_422_UNPROCESSABLE_ENTITY, detail="items_required"
            )
        if any(line["quantity"] < MIN_QUANTITY for line in items):
            raise HTTPException(
                status_code=status.HTTP_422_UNPROCESSABLE_ENTITY, detail="invalid_quantity"
            )

        demand: Counter = Counter()
        for line in items:
            demand[line["product_id"]] += line["quantity"]
        products = {
            product.id: product
            for product in self.db.scalars(select(Product).where(Product.id.in_(demand)))
        }
        for product_id in demand:
            if product_id not in products:
                raise HTTPException(status_code=status.HTTP_404_NOT_FOUND, detail="not_found")

        for product_id, quantity in demand.items():
            reserved = self.db.execute(
                update(Product)
                .where(Product.id == product_id, Product.stock >= quantity)
                .values(stock=Product.stock - quantity)
                .execution_options(synchronize_session=False)
            )
            if reserved.rowcount != 1:
                self.db.rollback()
                raise HTTPException(
                    status_code=status.HTTP_409_CONFLICT, detail="insufficient_stock"
                )

        order_items: List[OrderItem] = [
            OrderItem(
                product_id=line["product_id"],
                quantity=line["quantity"],
                unit_price=products[line["product_id"]].price,
            )
            for line in items
        ]
        order = Order(
            user_id=user_id,
            status=ORDER_STATUS_PENDING,
            total=sum((i.unit_price * i.quantity for i in order_items), Decimal("0.00")),
            items=order_items,
        )
        self.db.add(order)
        self.db.commit()
        return order
