from collections import Counter

from fastapi import APIRouter, Depends, HTTPException, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.api.deps import get_current_user, get_db
from app.core.security import verify_password
from app.models.order import ORDER_STATUS_CANCELLED, ORDER_STATUS_PAID, ORDER_STATUS_PENDING, Order
from app.models.product import Product
from app.models.token import Token
from app.models.user import User
from app.schemas.user import AccountDeletionIn, UserOut

router = APIRouter(prefix="/users", tags=["users"])

DELETED_EMAIL_FORMAT = "deleted-{user_id}@invalid"
UNUSABLE_PASSWORD = "!deleted"


@router.get("/me", response_model=UserOut)
def read_me(current_user: User = Depends(get_current_user)) -> User:
    return current_user


@router.delete("/me", status_code=204)
def delete_me(
    body: AccountDeletionIn,
    current_user: User = Depends(get_current_user),
    db: Session = Depends(get_db),
) -> Response:
    if not verify_password(body.password, current_user.hashed_password):
        raise HTTPException(status_code=403, detail="invalid_password")
    orders = db.scalars(select(Order).where(Order.user_id == current_user.id)).all()
    if any(order.status == ORDER_STATUS_PAID for order in orders):
        raise HTTPException(status_code=409, detail="orders_in_progress")

    returned: Counter[int] = Counter()
    for order in orders:
        if order.status == ORDER_STATUS_PENDING:
            order.status = ORDER_STATUS_CANCELLED
            for item in order.items:
                returned[item.product_id] += item.quantity
    for product in db.scalars(select(Product).where(Product.id.in_(returned))):
        product.stock += returned[product.id]

    for token in db.scalars(select(Token).where(Token.user_id == current_user.id)):
        token.revoked = True
    current_user.email = DELETED_EMAIL_FORMAT.format(user_id=current_user.id)
    current_user.full_name = None
    current_user.hashed_password = UNUSABLE_PASSWORD
    current_user.is_active = False
    db.commit()
    return Response(status_code=204)
