from collections import Counter
from decimal import Decimal

from fastapi import APIRouter, Depends, HTTPException, status
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from app.api.deps import get_current_user, get_db
from app.models.order import ORDER_STATUS_PENDING, Order, OrderItem
from app.models.product import Product
from app.models.user import User
from app.schemas.order import OrderCreate, OrderOut

router = APIRouter(prefix="/orders", tags=["orders"])

MIN_QUANTITY = 1
ZERO = Decimal("0.00")


@router.post("", response_model=OrderOut, status_code=status.HTTP_201_CREATED)
def create_order(
    payload: OrderCreate,
    current_user: User = Depends(get_current_user),
    db: Session = Depends(get_db),
) -> Order:
    if not payload.items:
        raise HTTPException(status_code=422, detail="an order needs at least one item")
    if any(line.quantity < MIN_QUANTITY for line in payload.items):
        raise HTTPException(status_code=422, detail=f"quantity must be at least {MIN_QUANTITY}")

    demand: Counter[int] = Counter()
    for line in payload.items:
        demand[line.product_id] += line.quantity
    products = {
        product.id: product
        for product in db.scalars(select(Product).where(Product.id.in_(demand)))
    }
    if any(product_id not in products for product_id in demand):
        raise HTTPException(status_code=404, detail="not_found")

    for product_id, quantity in demand.items():
        # Conditional UPDATE: simultaneous orders cannot both take the last units
        # (SQLite ignores SELECT ... FOR UPDATE).
        reserved = db.execute(
            update(Product)
            .where(Product.id == product_id, Product.stock >= quantity)
            .values(stock=Product.stock - quantity)
            .execution_options(synchronize_session=False)
        )
        if reserved.rowcount != 1:
            db.rollback()  # undo the lines already reserved: all or nothing
            raise HTTPException(status_code=409, detail="insufficient_stock")

    order = Order(user_id=current_user.id, status=ORDER_STATUS_PENDING)
    for line in payload.items:
        order.items.append(
            OrderItem(
                product_id=line.product_id,
                quantity=line.quantity,
                unit_price=products[line.product_id].price,
            )
        )
    order.total = sum((item.unit_price * item.quantity for item in order.items), ZERO)
    db.add(order)
    db.commit()
    return order
