"""A range of calendar days for a report, both ends included."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

LONGEST_RANGE = timedelta(days=366)


@dataclass(frozen=True)
class DayRange:
    first: date
    last: date

    @classmethod
    def between(cls, first: date, last: date) -> "DayRange | None":
        """The range `first` .. `last`, or None when it runs backwards or is too long."""
        if first > last or last - first + timedelta(days=1) > LONGEST_RANGE:
            return None
        return cls(first, last)

    @property
    def since(self) -> datetime:
        return datetime.combine(self.first, time.min)

    @property
    def until(self) -> datetime:
        """Midnight after the last day: the range is [since, until)."""
        return datetime.combine(self.last + timedelta(days=1), time.min)
