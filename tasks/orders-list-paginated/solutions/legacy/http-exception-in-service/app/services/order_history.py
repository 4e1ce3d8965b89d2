from math import ceil
from typing import Any, Dict, Optional

from fastapi import HTTPException
from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from app.models.order import (
    ORDER_STATUS_CANCELLED,
    ORDER_STATUS_PAID,
    ORDER_STATUS_PENDING,
    ORDER_STATUS_SHIPPED,
    Order,
)

ORDER_STATUSES = (
    ORDER_STATUS_PENDING,
    ORDER_STATUS_PAID,
    ORDER_STATUS_SHIPPED,
    ORDER_STATUS_CANCELLED,
)
MAX_PAGE_SIZE = 50


class OrderHistoryService:
    def __init__(self, db: Session) -> None:
        self.db = db

    def list_orders(
        self, user_id: int, status: Optional[str], page: int, size: int
    ) -> Dict[str, Any]:
        if page < 1 or size < 1 or size > MAX_PAGE_SIZE:
            raise HTTPException(status_code=422, detail="invalid_page")
        if status is not None and status not in ORDER_STATUSES:
            raise HTTPException(status_code=422, detail="invalid_status")

        query = select(Order).where(Order.user_id == user_id)
        if status is not None:
            query = query.where(Order.status == status)
        total = self.db.scalar(select(func.count()).select_from(query.subquery())) or 0
        orders = self.db.scalars(
            query.options(selectinload(Order.items))
            .order_by(Order.created_at.desc(), Order.id.desc())
            .offset((page - 1) * size)
            .limit(size)
        ).all()
        return {
            "items": list(orders),
            "page": page,
            "size": size,
            "total": total,
            "pages": ceil(total / size),
        }
