from typing import Any

from sqlalchemy.orm import Session

from app.core.result import Result, failure, success
from app.domain.exceptions import ValidationFailedError
from app.services import reports


class SalesReportService:
    def __init__(self, db: Session) -> None:
        self.db = db

    def summary(
        self, date_from: str, date_to: str
    ) -> Result[dict[str, Any], ValidationFailedError]:
        dates = reports.parse_report_dates(date_from, date_to)
        if dates is None or not reports.is_valid_range(*dates):
            return failure(ValidationFailedError("invalid_range"))
        return success(reports.build_sales_report(self.db, *dates))
