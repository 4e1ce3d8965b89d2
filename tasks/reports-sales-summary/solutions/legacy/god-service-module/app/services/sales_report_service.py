from typing import Any, Dict

from sqlalchemy.orm import Session

from app.core.result import Result, failure, success
from app.domain.exceptions import ValidationFailedError
from app.services import report_service


class SalesReportService:
    def __init__(self, db: Session) -> None:
        self.db = db

    def summary(
        self, date_from: str, date_to: str
    ) -> Result[Dict[str, Any], ValidationFailedError]:
        dates = report_service.parse_report_dates(date_from, date_to)
        if dates is None:
            return failure(ValidationFailedError("invalid_range"))
        start, end = dates
        error = report_service.check_report_range(start, end)
        if error is not None:
            return failure(ValidationFailedError(error))
        return success(report_service.sales_report(self.db, start, end))
