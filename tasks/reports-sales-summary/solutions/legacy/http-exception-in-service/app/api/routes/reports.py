from datetime import date
from typing import Any, Dict

from fastapi import APIRouter, Depends, Query
from sqlalchemy.orm import Session

from app.api.deps import get_current_user, get_db
from app.models.user import User
from app.services.sales_report_service import SalesReportService

router = APIRouter(prefix="/reports", tags=["reports"])


@router.get("/sales")
def sales_report(
    date_from: date = Query(alias="from"),
    date_to: date = Query(alias="to"),
    current_user: User = Depends(get_current_user),
    db: Session = Depends(get_db),
) -> Dict[str, Any]:
    return SalesReportService(db).summary(date_from.isoformat(), date_to.isoformat())
