"""Supplier price lists: reading a CSV file of the import directory into the catalogue."""

import csv
import io
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core import imports
from app.models.product import Product

PRICE_LIST_SUFFIX = ".csv"
PATH_SEPARATORS = ("/", "\\")
MAX_ROWS = 500
MAX_PRICE_DECIMALS = 2
CENT = Decimal("0.01")

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


def has_directory_part(file_name: str) -> bool:
    return any(separator in file_name for separator in PATH_SEPARATORS)


def is_csv_name(file_name: str) -> bool:
    return file_name.endswith(PRICE_LIST_SUFFIX)


def check_file_name(file_name: str) -> bool:
    """A bare CSV file name: no directory part."""
    if has_directory_part(file_name):
        return False
    return is_csv_name(file_name)


def resolve_path(file_name: str) -> Path:
    return imports.IMPORT_DIR / file_name


def read_file(path: Path) -> str | None:
    """The file's text, or None when there is no such file."""
    if not path.is_file():
        return None
    return path.read_text(encoding="utf-8")


def read_rows(text: str) -> list[tuple[int, dict[str, str | None]]]:
    """(line number, record) of every product row; the header is line 1."""
    reader = csv.DictReader(io.StringIO(text, newline=""))
    return [(reader.line_num, record) for record in reader]


def too_many_rows(rows: list[tuple[int, dict[str, str | None]]]) -> bool:
    return len(rows) > MAX_ROWS


def clean_cell(raw: str | None) -> str:
    """A cell's text without surrounding blanks; an absent cell is empty."""
    return (raw or "").strip()


def is_positive_amount(price: Decimal) -> bool:
    return price.is_finite() and price > 0


def has_too_many_decimals(price: Decimal) -> bool:
    return price.as_tuple().exponent < -MAX_PRICE_DECIMALS


def parse_price(raw: str | None) -> Decimal | None:
    """A positive amount with at most two decimals, else None."""
    try:
        price = Decimal(clean_cell(raw))
    except InvalidOperation:
        return None
    if not is_positive_amount(price):
        return None
    if has_too_many_decimals(price):
        return None
    return price.quantize(CENT)


def is_valid_stock(stock: int) -> bool:
    return stock >= 0


def parse_stock(raw: str | None) -> int | None:
    """A whole number of units, zero or more, else None."""
    try:
        stock = int(clean_cell(raw))
    except ValueError:
        return None
    return stock if is_valid_stock(stock) else None


def parse_sku(record: dict[str, str | None]) -> str:
    return clean_cell(record.get("sku"))


def parse_name(record: dict[str, str | None]) -> str:
    return clean_cell(record.get("name"))


def validate_row(line: int, record: dict[str, str | None]) -> PriceListRow | RejectedRow:
    """The row to upsert, or the reason of the first check it fails."""
    sku = parse_sku(record)
    if not sku:
        return RejectedRow(line, MISSING_SKU)
    price = parse_price(record.get("price"))
    if price is None:
        return RejectedRow(line, INVALID_PRICE)
    stock = parse_stock(record.get("stock"))
    if stock is None:
        return RejectedRow(line, INVALID_STOCK)
    return PriceListRow(sku, parse_name(record), price, stock)


def find_product(db: Session, sku: str) -> Product | None:
    return db.scalars(select(Product).where(Product.sku == sku)).first()


def create_product(db: Session, row: PriceListRow) -> Product:
    product = Product(sku=row.sku, name=row.name, price=row.price, stock=row.stock)
    db.add(product)
    return product


def update_product(product: Product, row: PriceListRow) -> Product:
    product.name = row.name
    product.price = row.price
    product.stock = row.stock
    return product


def upsert_row(db: Session, row: PriceListRow) -> bool:
    """Create or update the product of the row's sku; True when it was created."""
    product = find_product(db, row.sku)
    if product is None:
        create_product(db, row)
        return True
    update_product(product, row)
    return False


def import_rows(db: Session, rows: list[tuple[int, dict[str, str | None]]]) -> ImportSummary:
    """Validate and upsert every row in file order; nothing is committed here."""
    summary = ImportSummary()
    for line, record in rows:
        row = validate_row(line, record)
        if isinstance(row, RejectedRow):
            summary.rejected.append(row)
        else:
            count_outcome(summary, created=upsert_row(db, row))
    return summary


def count_outcome(summary: ImportSummary, created: bool) -> None:
    """One more product created, or one more updated."""
    if created:
        summary.created += 1
    else:
        summary.updated += 1
