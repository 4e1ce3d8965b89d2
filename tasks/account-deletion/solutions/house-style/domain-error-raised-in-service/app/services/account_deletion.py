"""Account deletion: the user's personal data is erased, the shop keeps its order records."""

from collections import Counter

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.security import verify_password
from app.domain.exceptions import ConflictError, NotFoundError, PermissionDeniedError
from app.models.order import ORDER_STATUS_CANCELLED, ORDER_STATUS_PAID, ORDER_STATUS_PENDING, Order
from app.models.product import Product
from app.models.token import Token
from app.models.user import User

DELETED_EMAIL_FORMAT = "deleted-{user_id}@invalid"
UNUSABLE_PASSWORD = "!deleted"
# Paid but not shipped yet: the goods must still reach the customer.
BLOCKING_ORDER_STATUSES = (ORDER_STATUS_PAID,)
RELEASED_ORDER_STATUSES = (ORDER_STATUS_PENDING,)


class AccountDeletionService:
    def __init__(self, db: Session) -> None:
        self.db = db

    def delete_account(self, user_id: int, password: str) -> User:
        """Anonymize the user, revoke all their tokens and release their pending orders.

        Raises NotFoundError, PermissionDeniedError or ConflictError when it refuses.
        """
        user = self.db.get(User, user_id)
        if user is None:
            raise NotFoundError(f"user {user_id} not found")
        if not verify_password(password, user.hashed_password):
            raise PermissionDeniedError("invalid_password")
        if self._has_order_in(user_id, BLOCKING_ORDER_STATUSES):
            raise ConflictError("orders_in_progress")

        self._release_pending_orders(user_id)
        self._revoke_all_tokens(user_id)
        self._anonymize(user)
        self.db.commit()
        return user

    def _has_order_in(self, user_id: int, statuses: tuple[str, ...]) -> bool:
        found = self.db.scalar(
            select(Order.id).where(Order.user_id == user_id, Order.status.in_(statuses)).limit(1)
        )
        return found is not None

    def _release_pending_orders(self, user_id: int) -> None:
        orders = self.db.scalars(
            select(Order)
            .where(Order.user_id == user_id, Order.status.in_(RELEASED_ORDER_STATUSES))
            .with_for_update()
        ).all()
        returned: Counter[int] = Counter()
        for order in orders:
            for item in order.items:
                returned[item.product_id] += item.quantity
            order.status = ORDER_STATUS_CANCELLED
        if not returned:
            return
        products = self.db.scalars(
            select(Product).where(Product.id.in_(returned)).with_for_update()
        )
        for product in products:
            product.stock += returned[product.id]

    def _revoke_all_tokens(self, user_id: int) -> None:
        for token in self.db.scalars(select(Token).where(Token.user_id == user_id)):
            token.revoked = True

    def _anonymize(self, user: User) -> None:
        user.email = DELETED_EMAIL_FORMAT.format(user_id=user.id)
        user.full_name = None
        user.hashed_password = UNUSABLE_PASSWORD
        user.is_active = False
