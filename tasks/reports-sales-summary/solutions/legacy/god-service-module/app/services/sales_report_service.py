from datetime import date
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
        try:
            start, end = date.fromisoformat(date_from), date.fromisoformat(date_to)
        except ValueError:
            return failure(ValidationFailedError("invalid_range"))
        error = report_service.check_report_range(start, end)
        if error is not None:
            return failure(ValidationFailedError(error))
        return success(report_service.sales_report(self.db, start, end))
