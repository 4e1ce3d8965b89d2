"""Gap-free invoice numbers per calendar year."""

from typing import NamedTuple

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models.invoice import Invoice

NUMBER_PREFIX = "INV"
SEQUENCE_DIGITS = 4


class InvoiceNumber(NamedTuple):
    year: int
    sequence: int
    number: str


def allocate_number(db: Session, year: int) -> InvoiceNumber:
    """The next number of `year`: one after the year's last sequence, or the first."""
    last = db.scalars(
        select(Invoice.sequence)
        .where(Invoice.year == year)
        .order_by(Invoice.sequence.desc())
        .limit(1)
    ).first()
    sequence = 1 if last is None else last + 1
    return InvoiceNumber(year, sequence, f"{NUMBER_PREFIX}-{year}-{sequence:0{SEQUENCE_DIGITS}d}")
