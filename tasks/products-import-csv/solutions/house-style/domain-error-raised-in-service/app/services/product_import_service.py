"""Supplier price lists: a CSV file of the import directory upserted into the catalogue."""

import asyncio
import csv
import io
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core import imports
from app.domain.exceptions import NotFoundError, TooManyRowsError, ValidationFailedError
from app.models.product import Product

PRICE_LIST_SUFFIX = ".csv"
PATH_SEPARATORS = ("/", "\\")
MAX_ROWS = 500
MAX_PRICE_DECIMALS = 2
CENT = Decimal("0.01")

INVALID_FILE_NAME = "invalid_file_name"
FILE_NOT_FOUND = "file_not_found"
MISSING_SKU = "missing_sku"
INVALID_PRICE = "invalid_price"
INVALID_STOCK = "invalid_stock"


@dataclass(frozen=True)
class RejectedRow:
    line: int
    reason: str


@dataclass
class ImportSummary:
    created: int = 0
    updated: int = 0
    rejected: list[RejectedRow] = field(default_factory=list)


@dataclass(frozen=True)
class PriceListRow:
    sku: str
    name: str
    price: Decimal
    stock: int


def is_importable_name(file_name: str) -> bool:
    """A bare file name (no directory part) of a CSV file."""
    return file_name.endswith(PRICE_LIST_SUFFIX) and not any(
        separator in file_name for separator in PATH_SEPARATORS
    )


def parse_price(raw: str | None) -> Decimal | None:
    """A positive amount with at most two decimals, else None."""
    try:
        price = Decimal((raw or "").strip())
    except InvalidOperation:
        return None
    if not price.is_finite() or price <= 0:
        return None
    if price.as_tuple().exponent < -MAX_PRICE_DECIMALS:
        return None
    return price.quantize(CENT)


def parse_stock(raw: str | None) -> int | None:
    """A whole number of units, zero or more, else None."""
    try:
        stock = int((raw or "").strip())
    except ValueError:
        return None
    return stock if stock >= 0 else None


def read_price_list(path: Path) -> str | None:
    """The file's text, or None when there is no such file."""
    if not path.is_file():
        return None
    return path.read_text(encoding="utf-8")


class ProductImportService:
    def __init__(self, db: Session) -> None:
        self.db = db

    async def import_file(self, file_name: str) -> ImportSummary:
        """Import `file_name` from the import directory: every valid row in one transaction.

        Raises ValidationFailedError, NotFoundError or TooManyRowsError when it refuses.
        """
        if not is_importable_name(file_name):
            raise ValidationFailedError(INVALID_FILE_NAME)
        text = await asyncio.to_thread(read_price_list, imports.IMPORT_DIR / file_name)
        if text is None:
            raise NotFoundError(FILE_NOT_FOUND)

        reader = csv.DictReader(io.StringIO(text, newline=""))
        records = [(reader.line_num, record) for record in reader]
        if len(records) > MAX_ROWS:
            raise TooManyRowsError()

        summary = ImportSummary()
        for line, record in records:
            row = self._validate(line, record, summary)
            if row is not None:
                self._upsert(row, summary)
        self.db.commit()
        return summary

    def _validate(
        self, line: int, record: dict[str, str | None], summary: ImportSummary
    ) -> PriceListRow | None:
        sku = (record.get("sku") or "").strip()
        price = parse_price(record.get("price"))
        stock = parse_stock(record.get("stock"))
        if not sku:
            reason = MISSING_SKU
        elif price is None:
            reason = INVALID_PRICE
        elif stock is None:
            reason = INVALID_STOCK
        else:
            return PriceListRow(sku, (record.get("name") or "").strip(), price, stock)
        summary.rejected.append(RejectedRow(line, reason))
        return None

    def _upsert(self, row: PriceListRow, summary: ImportSummary) -> None:
        product = self.db.scalars(select(Product).where(Product.sku == row.sku)).first()
        if product is None:
            self.db.add(Product(sku=row.sku, name=row.name, price=row.price, stock=row.stock))
            summary.created += 1
        else:
            product.name = row.name
            product.price = row.price
            product.stock = row.stock
            summary.updated += 1
