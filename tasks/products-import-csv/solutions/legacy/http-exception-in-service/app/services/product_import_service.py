"""Supplier price lists: import a CSV file from the import directory into the catalogue."""

import asyncio
import csv
import io
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, Dict, List, Optional

from fastapi import HTTPException, status
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core import imports
from app.models.product import Product

CSV_SUFFIX = ".csv"
MAX_ROWS = 500


def _read(path: Path) -> Optional[str]:
    if not path.is_file():
        return None
    return path.read_text(encoding="utf-8")


def _price(raw: Optional[str]) -> Optional[Decimal]:
    try:
        price = Decimal((raw or "").strip())
    except InvalidOperation:
        return None
    if not price.is_finite() or price <= 0 or price.as_tuple().exponent < -2:
        return None
    return price


def _stock(raw: Optional[str]) -> Optional[int]:
    try:
        stock = int((raw or "").strip())
    except ValueError:
        return None
    return stock if stock >= 0 else None


class ProductImportService:
    def __init__(self, db: Session) -> None:
        self.db = db

    async def import_file(self, file_name: str) -> Dict[str, Any]:
        if "/" in file_name or "\\" in file_name or not file_name.endswith(CSV_SUFFIX):
            raise HTTPException(
                status_code=status.HTTP_422_UNPROCESSABLE_CONTENT, detail="invalid_file_name"
            )
        text = await asyncio.to_thread(_read, imports.IMPORT_DIR / file_name)
        if text is None:
            raise HTTPException(status_code=status.HTTP_404_NOT_FOUND, detail="file_not_found")

        reader = csv.DictReader(io.StringIO(text, newline=""))
        rows = [(reader.line_num, row) for row in reader]
        if len(rows) > MAX_ROWS:
            raise HTTPException(
                status_code=status.HTTP_413_CONTENT_TOO_LARGE, detail="too_many_rows"
            )

        created = 0
        updated = 0
        rejected: List[Dict[str, Any]] = []
        for line, row in rows:
            sku = (row.get("sku") or "").strip()
            price = _price(row.get("price"))
            stock = _stock(row.get("stock"))
            if not sku:
                rejected.append({"line": line, "reason": "missing_sku"})
                continue
            if price is None:
                rejected.append({"line": line, "reason": "invalid_price"})
                continue
            if stock is None:
                rejected.append({"line": line, "reason": "invalid_stock"})
                continue

            name = (row.get("name") or "").strip()
            product = self.db.scalars(select(Product).where(Product.sku == sku)).first()
            if product is None:
                self.db.add(Product(sku=sku, name=name, price=price, stock=stock))
                created += 1
            else:
                product.name = name
                product.price = price
                product.stock = stock
                updated += 1

        self.db.commit()
        return {"created": created, "updated": updated, "rejected": rejected}
