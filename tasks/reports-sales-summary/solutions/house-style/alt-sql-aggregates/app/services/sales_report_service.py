"""The back-office sales report."""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from sqlalchemy.orm import Session

from app.core.result import Failure, Success
from app.domain.exceptions import ValidationFailedError
from app.domain.report_range import DayRange
from app.models.order import (
    ORDER_STATUS_CANCELLED,
    ORDER_STATUS_PAID,
    ORDER_STATUS_PENDING,
    ORDER_STATUS_SHIPPED,
)
from app.services.sales_figures import SalesFigures

BEST_SELLERS = 5
STATUSES = (ORDER_STATUS_PENDING, ORDER_STATUS_PAID, ORDER_STATUS_SHIPPED, ORDER_STATUS_CANCELLED)


@dataclass
class SalesSummary:
    days: DayRange
    per_day: list[tuple[str, int, Decimal]] = field(default_factory=list)
    per_status: dict[str, int] = field(default_factory=dict)
    best_sellers: list[tuple[int, str, int, Decimal]] = field(default_factory=list)

    @property
    def orders(self) -> int:
        return sum(n for _, n, _ in self.per_day)

    @property
    def revenue(self) -> Decimal:
        return sum((r for _, _, r in self.per_day), Decimal("0.00"))


class SalesReportService:
    def __init__(self, db: Session) -> None:
        self.figures = SalesFigures(db)

    def summary(
        self, date_from: str, date_to: str
    ) -> Success[SalesSummary] | Failure[ValidationFailedError]:
        try:
            days = DayRange.between(date.fromisoformat(date_from), date.fromisoformat(date_to))
        except ValueError:
            days = None
        if days is None:
            return Failure(ValidationFailedError("invalid_range"))
        counted = self.figures.per_status(days)
        return Success(
            SalesSummary(
                days=days,
                per_day=self.figures.per_day(days),
                per_status={status: counted.get(status, 0) for status in STATUSES},
                best_sellers=self.figures.best_sellers(days, BEST_SELLERS),
            )
        )
