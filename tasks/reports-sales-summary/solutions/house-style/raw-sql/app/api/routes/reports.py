from datetime import date

from fastapi import APIRouter, Depends, Query
from sqlalchemy.orm import Session

from app.api.deps import get_current_user, get_db
from app.api.errors import unwrap
from app.models.user import User
from app.schemas.report import SalesReportOut
from app.services.sales_report_service import SalesReport, SalesReportService

router = APIRouter(prefix="/reports", tags=["reports"])


@router.get("/sales", response_model=SalesReportOut)
def sales_report(
    date_from: date = Query(alias="from"),
    date_to: date = Query(alias="to"),
    _: User = Depends(get_current_user),
    db: Session = Depends(get_db),
) -> SalesReport:
    service = SalesReportService(db)
    return unwrap(service.summary(date_from.isoformat(), date_to.isoformat()))
