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
from app.core.result import Result, failure, success
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

ProductImportError = ValidationFailedError | NotFoundError | TooManyRowsError


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
    line: int
    sku: str
    name: str
    price: Decimal
    stock: int


class ProductImportService:
    """Imports one supplier price list from the import directory into the catalogue.

    The whole import happens in `import_file`: the file name is checked, the file is
    read from `IMPORT_DIR`, every product row is validated in file order, the valid rows
    are upserted by sku and everything is committed together at the end.

    Row checks, in order (a row is rejected with the reason of the first it fails):

    - `sku` is not empty -> `missing_sku`
    - `price` is a positive decimal with at most two decimals -> `invalid_price`
    - `stock` is a whole number, zero or more -> `invalid_stock`

    A refused import (a bad file name, a missing file, more than 500 rows) leaves the
    session untouched.
    """

    def __init__(self, db: Session) -> None:
        self.db = db

    async def import_file(self, file_name: str) -> Result[ImportSummary, ProductImportError]:
        """Import `file_name` from the import directory: every valid row in one transaction."""
        # 1. The name alone decides whether it may be imported, before any disk access.
        if not self._is_valid_file_name(file_name):
            return failure(ValidationFailedError(INVALID_FILE_NAME))

        # 2. Read the file in a worker thread; a missing file is refused.
        path = imports.IMPORT_DIR / file_name
        text = await asyncio.to_thread(self._read_file, path)
        if text is None:
            return failure(NotFoundError(FILE_NOT_FOUND))

        # 3. Parse the CSV. Every line after the header is a product row, valid or not,
        #    and the limit is checked on all of them before anything is written.
        records = self._parse_rows(text)
        if len(records) > MAX_ROWS:
            return failure(TooManyRowsError())

        # 4. Validate and upsert row by row, in file order, so that a sku repeated
        #    further down the file updates what an earlier row created.
        summary = ImportSummary()
        try:
            for line, record in records:
                row = self._validate_row(line, record)
                if isinstance(row, RejectedRow):
                    summary.rejected.append(row)
                    continue
                created = self._upsert_row(row)
                if created:
                    summary.created += 1
                else:
                    summary.updated += 1
            self.db.commit()
        except Exception:
            self.db.rollback()
            raise
        return success(summary)

    @staticmethod
    def _is_valid_file_name(file_name: str) -> bool:
        """A bare CSV file name: no directory part, so nothing outside the directory.

        `/` and `\\` are both refused whatever the platform, since the name comes from
        the request body and a Windows-style path must not slip through on Linux.
        """
        if not file_name:
            return False
        for separator in PATH_SEPARATORS:
            if separator in file_name:
                return False
        if not file_name.endswith(PRICE_LIST_SUFFIX):
            return False
        return True

    @staticmethod
    def _read_file(path: Path) -> str | None:
        """The file's text, or None when the import directory has no such file."""
        if not path.is_file():
            return None
        with path.open("r", encoding="utf-8", newline="") as handle:
            return handle.read()

    @staticmethod
    def _parse_rows(text: str) -> list[tuple[int, dict[str, str | None]]]:
        """(line number, record) of every product row; the header is line 1."""
        # Some spreadsheet exports start with a byte order mark.
        if text.startswith("\ufeff"):
            text = text[1:]
        reader = csv.DictReader(io.StringIO(text, newline=""))
        if reader.fieldnames is not None:
            reader.fieldnames = [name.strip().lower() for name in reader.fieldnames]
        records: list[tuple[int, dict[str, str | None]]] = []
        for record in reader:
            # line_num is the physical line the record ended on, which is what the
            # supplier sees in their editor, quoted newlines included.
            records.append((reader.line_num, record))
        return records

    def _validate_row(
        self, line: int, record: dict[str, str | None]
    ) -> PriceListRow | RejectedRow:
        """The row ready to upsert, or why it is rejected (the first check it fails)."""
        # sku: anything but empty.
        sku = (record.get("sku") or "").strip()
        if not sku:
            return RejectedRow(line, MISSING_SKU)

        # price: a positive decimal with at most two decimal places.
        raw_price = (record.get("price") or "").strip()
        if not raw_price:
            return RejectedRow(line, INVALID_PRICE)
        try:
            price = Decimal(raw_price)
        except InvalidOperation:
            return RejectedRow(line, INVALID_PRICE)
        if not price.is_finite():
            return RejectedRow(line, INVALID_PRICE)
        if price <= 0:
            return RejectedRow(line, INVALID_PRICE)
        exponent = price.as_tuple().exponent
        if isinstance(exponent, int) and exponent < -MAX_PRICE_DECIMALS:
            return RejectedRow(line, INVALID_PRICE)
        price = price.quantize(CENT)

        # stock: a whole number, zero or more.
        raw_stock = (record.get("stock") or "").strip()
        if not raw_stock:
            return RejectedRow(line, INVALID_STOCK)
        try:
            stock = int(raw_stock)
        except ValueError:
            return RejectedRow(line, INVALID_STOCK)
        if stock < 0:
            return RejectedRow(line, INVALID_STOCK)

        name = (record.get("name") or "").strip()
        return PriceListRow(line=line, sku=sku, name=name, price=price, stock=stock)

    def _upsert_row(self, row: PriceListRow) -> bool:
        """Create or update the product of `row.sku`; True when it was created."""
        # Products added earlier in this import are pending in the session: autoflush
        # makes the query see them, so a repeated sku updates instead of inserting twice.
        product = self.db.scalars(select(Product).where(Product.sku == row.sku)).first()
        if product is None:
            product = Product(
                sku=row.sku,
                name=row.name,
                price=row.price,
                stock=row.stock,
            )
            self.db.add(product)
            return True

        # Existing product: the row's values win, even when nothing changed.
        product.name = row.name
        product.price = row.price
        product.stock = row.stock
        return False
