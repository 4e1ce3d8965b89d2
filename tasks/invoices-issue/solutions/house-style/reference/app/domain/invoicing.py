"""Pure invoicing rules: invoice numbers and VAT amounts (no database, no framework)."""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
INVOICE_NUMBER_FORMAT = "INV-{year}-{sequence:04d}"
FIRST_SEQUENCE = 1


@dataclass(frozen=True)
class InvoiceAmounts:
    net: Decimal
    vat: Decimal
    gross: Decimal


def format_invoice_number(year: int, sequence: int) -> str:
    """`INV-<year>-<sequence zero-padded to 4 digits>`, e.g. (2026, 7) -> "INV-2026-0007"."""
    return INVOICE_NUMBER_FORMAT.format(year=year, sequence=sequence)


def next_sequence(highest_in_year: int | None) -> int:
    """The sequence after the highest one used in the year (1 for the year's first invoice)."""
    return FIRST_SEQUENCE if highest_in_year is None else highest_in_year + 1


def invoice_amounts(net: Decimal, vat_rate: Decimal) -> InvoiceAmounts:
    """VAT on the whole net amount, rounded half up to cents; gross = net + VAT."""
    net = Decimal(net).quantize(CENT, rounding=ROUND_HALF_UP)
    vat = (net * vat_rate).quantize(CENT, rounding=ROUND_HALF_UP)
    return InvoiceAmounts(net=net, vat=vat, gross=net + vat)
