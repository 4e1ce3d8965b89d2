from fastapi import APIRouter, Depends
from sqlalchemy.orm import Session

from app.api.deps import get_current_user, get_db
from app.api.errors import unwrap
from app.api.pagination import Page, PageParams, page_params
from app.models.user import User
from app.schemas.order import OrderOut
from app.services.order_history import OrderHistoryService

router = APIRouter(prefix="/orders", tags=["orders"])


@router.get("", response_model=Page[OrderOut])
def list_my_orders(
    status: str | None = None,
    params: PageParams = Depends(page_params),
    current_user: User = Depends(get_current_user),
    db: Session = Depends(get_db),
) -> Page[OrderOut]:
    history = unwrap(
        OrderHistoryService(db).list_orders(
            user_id=current_user.id, status=status, page=params.page, size=params.size
        )
    )
    items = [OrderOut.model_validate(order) for order in history.orders]
    return Page[OrderOut].build(items, history.total, params)
