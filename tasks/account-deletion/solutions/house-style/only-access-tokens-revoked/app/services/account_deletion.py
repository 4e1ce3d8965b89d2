"""Account deletion: the user's personal data is erased, the shop keeps its order records."""

from collections import Counter

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.result import Failure, Result, failure, success
from app.core.security import verify_password
from app.domain.exceptions import ConflictError, NotFoundError, PermissionDeniedError
from app.models.order import ORDER_STATUS_CANCELLED, ORDER_STATUS_PAID, ORDER_STATUS_PENDING, Order
from app.models.product import Product
from app.models.user import User
from app.services.account_service import AccountService

DELETED_EMAIL_FORMAT = "deleted-{user_id}@invalid"
UNUSABLE_PASSWORD = "!deleted"

AccountDeletionError = NotFoundError | PermissionDeniedError | ConflictError


class AccountDeletionService:
    def __init__(self, db: Session) -> None:
        self.db = db
        self.accounts = AccountService(db)

    def delete_account(self, user_id: int, password: str) -> Result[User, AccountDeletionError]:
        """Anonymize and deactivate the user, and release their pending orders."""
        user = self.db.get(User, user_id)
        if user is None:
            return failure(NotFoundError(f"user {user_id} not found"))
        if not verify_password(password, user.hashed_password):
            return failure(PermissionDeniedError("invalid_password"))
        paid = self.db.scalar(
            select(Order.id).where(Order.user_id == user_id, Order.status == ORDER_STATUS_PAID)
        )
        if paid is not None:
            return failure(ConflictError("orders_in_progress"))

        self._release_pending_orders(user_id)
        user.email = DELETED_EMAIL_FORMAT.format(user_id=user.id)
        user.full_name = None
        user.hashed_password = UNUSABLE_PASSWORD
        # Deactivation signs the user out everywhere and commits the whole deletion.
        deactivated = self.accounts.deactivate(user_id)
        if isinstance(deactivated, Failure):
            self.db.rollback()
            return deactivated
        return success(user)

    def _release_pending_orders(self, user_id: int) -> None:
        pending = self.db.scalars(
            select(Order).where(Order.user_id == user_id, Order.status == ORDER_STATUS_PENDING)
        ).all()
        returned: Counter[int] = Counter()
        for order in pending:
            order.status = ORDER_STATUS_CANCELLED
            for item in order.items:
                returned[item.product_id] += item.quantity
        for product_id, quantity in returned.items():
            self.db.get_one(Product, product_id).stock += quantity
