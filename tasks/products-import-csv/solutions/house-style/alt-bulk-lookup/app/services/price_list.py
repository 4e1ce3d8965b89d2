"""Parsing of a supplier price list (CSV text) into rows to upsert and rows rejected."""

import csv
import io
import re
from dataclasses import dataclass, field
from decimal import Decimal

PRICE_RE = re.compile(r"\d+(\.\d{1,2})?")
STOCK_RE = re.compile(r"\d+")

REJECT_MISSING_SKU = "missing_sku"
REJECT_INVALID_PRICE = "invalid_price"
REJECT_INVALID_STOCK = "invalid_stock"


@dataclass(frozen=True)
class PriceListEntry:
    sku: str
    name: str
    price: Decimal
    stock: int


@dataclass(frozen=True)
class Rejection:
    line: int
    reason: str


@dataclass
class PriceList:
    """The parsed file: `row_count` product rows, split into entries and rejections."""

    row_count: int = 0
    entries: list[PriceListEntry] = field(default_factory=list)
    rejections: list[Rejection] = field(default_factory=list)


def _reason(sku: str, price: str, stock: str) -> str | None:
    if not sku:
        return REJECT_MISSING_SKU
    if not PRICE_RE.fullmatch(price) or Decimal(price) == 0:
        return REJECT_INVALID_PRICE
    if not STOCK_RE.fullmatch(stock):
        return REJECT_INVALID_STOCK
    return None


def parse_price_list(text: str) -> PriceList:
    parsed = PriceList()
    reader = csv.reader(io.StringIO(text, newline=""))
    next(reader, None)  # header
    for values in reader:
        if not values:
            continue
        parsed.row_count += 1
        sku, name, price, stock = (list(map(str.strip, values)) + [""] * 4)[:4]
        reason = _reason(sku, price, stock)
        if reason is not None:
            parsed.rejections.append(Rejection(reader.line_num, reason))
        else:
            parsed.entries.append(PriceListEntry(sku, name, Decimal(price), int(stock)))
    return parsed
