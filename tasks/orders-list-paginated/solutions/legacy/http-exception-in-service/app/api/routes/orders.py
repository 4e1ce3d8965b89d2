from typing import Optional

from fastapi import APIRouter, Depends
from sqlalchemy.orm import Session

from app.api.deps import get_current_user, get_db
from app.api.pagination import Page, PageParams, page_params
from app.models.user import User
from app.schemas.order import OrderOut
from app.services.order_history import OrderHistoryService

router = APIRouter(prefix="/orders", tags=["orders"])


@router.get("", response_model=Page[OrderOut])
def list_orders(
    status: Optional[str] = None,
    params: PageParams = Depends(page_params),
    current_user: User = Depends(get_current_user),
    db: Session = Depends(get_db),
):
    return OrderHistoryService(db).list_orders(
        user_id=current_user.id, status=status, page=params.page, size=params.size
    )
