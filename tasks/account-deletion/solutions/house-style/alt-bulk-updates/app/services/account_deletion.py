"""Erasing a customer account: set-based updates of the user, their tokens and open orders."""

from sqlalchemy import exists, func, select, update
from sqlalchemy.orm import Session

from app.core.result import Result, failure, success
from app.core.security import verify_password
from app.domain.exceptions import ConflictError, NotFoundError, PermissionDeniedError
from app.models.order import (
    ORDER_STATUS_CANCELLED,
    ORDER_STATUS_PAID,
    ORDER_STATUS_PENDING,
    Order,
    OrderItem,
)
from app.models.product import Product
from app.models.token import Token
from app.models.user import User

ERASED_EMAIL_PREFIX = "deleted-"
ERASED_EMAIL_DOMAIN = "invalid"
ERASED_PASSWORD_MARKER = "!deleted"


def erased_email(user_id: int) -> str:
    return f"{ERASED_EMAIL_PREFIX}{user_id}@{ERASED_EMAIL_DOMAIN}"


class PendingOrderRelease:
    """Cancels a user's pending orders and puts their goods back in stock."""

    def __init__(self, db: Session) -> None:
        self.db = db

    def release(self, user_id: int) -> None:
        pending = select(Order.id).where(
            Order.user_id == user_id, Order.status == ORDER_STATUS_PENDING
        )
        returned = self.db.execute(
            select(OrderItem.product_id, func.sum(OrderItem.quantity))
            .where(OrderItem.order_id.in_(pending))
            .group_by(OrderItem.product_id)
        ).all()
        for product_id, quantity in returned:
            self.db.execute(
                update(Product)
                .where(Product.id == product_id)
                .values(stock=Product.stock + quantity)
            )
        self.db.execute(
            update(Order)
            .where(Order.user_id == user_id, Order.status == ORDER_STATUS_PENDING)
            .values(status=ORDER_STATUS_CANCELLED)
        )


class AccountDeletionService:
    def __init__(self, db: Session) -> None:
        self.db = db
        self.orders = PendingOrderRelease(db)

    def delete_account(
        self, user_id: int, password: str
    ) -> Result[int, NotFoundError | PermissionDeniedError | ConflictError]:
        """Erase the account of `user_id`; the id of the erased user."""
        hashed = self.db.scalar(select(User.hashed_password).where(User.id == user_id))
        if hashed is None:
            return failure(NotFoundError())
        if not verify_password(password, hashed):
            return failure(PermissionDeniedError("invalid_password"))
        paid_order = exists().where(Order.user_id == user_id, Order.status == ORDER_STATUS_PAID)
        if self.db.scalar(select(paid_order)):
            return failure(ConflictError("orders_in_progress"))

        self.orders.release(user_id)
        self.db.execute(update(Token).where(Token.user_id == user_id).values(revoked=True))
        self.db.execute(
            update(User)
            .where(User.id == user_id)
            .values(
                email=erased_email(user_id),
                full_name=None,
                hashed_password=ERASED_PASSWORD_MARKER,
                is_active=False,
            )
        )
        self.db.commit()
        return success(user_id)
