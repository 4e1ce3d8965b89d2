"""Imports a supplier price list from the import directory into the product catalogue."""

import asyncio
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core import imports
from app.core.result import Result, failure, success
from app.domain.exceptions import ImportFileNotFoundError, ImportTooLargeError, InvalidFileNameError
from app.models.product import Product
from app.services.price_list import PriceList, PriceListEntry, Rejection, parse_price_list

ALLOWED_SUFFIX = ".csv"
MAX_PRODUCT_ROWS = 500

ImportRefused = InvalidFileNameError | ImportFileNotFoundError | ImportTooLargeError


@dataclass(frozen=True)
class ImportOutcome:
    created: int
    updated: int
    rejected: list[Rejection]


def _plain_csv_name(file_name: str) -> bool:
    return (
        "\\" not in file_name
        and PurePosixPath(file_name).name == file_name
        and PurePosixPath(file_name).suffix == ALLOWED_SUFFIX
    )


def _load(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except (FileNotFoundError, IsADirectoryError):
        return None


class ProductImportService:
    def __init__(self, db: Session) -> None:
        self.db = db

    async def import_file(self, file_name: str) -> Result[ImportOutcome, ImportRefused]:
        if not _plain_csv_name(file_name):
            return failure(InvalidFileNameError())
        loop = asyncio.get_running_loop()
        data = await loop.run_in_executor(None, _load, imports.IMPORT_DIR / file_name)
        if data is None:
            return failure(ImportFileNotFoundError())
        price_list = parse_price_list(data.decode("utf-8"))
        if price_list.row_count > MAX_PRODUCT_ROWS:
            return failure(ImportTooLargeError())
        created, updated = self._apply(price_list)
        self.db.commit()
        return success(ImportOutcome(created, updated, price_list.rejections))

    def _apply(self, price_list: PriceList) -> tuple[int, int]:
        skus = {entry.sku for entry in price_list.entries}
        by_sku = {
            product.sku: product
            for product in self.db.scalars(select(Product).where(Product.sku.in_(skus)))
        }
        created = updated = 0
        for entry in price_list.entries:
            product = by_sku.get(entry.sku)
            if product is None:
                by_sku[entry.sku] = self._create(entry)
                created += 1
            else:
                product.name, product.price, product.stock = entry.name, entry.price, entry.stock
                updated += 1
        return created, updated

    def _create(self, entry: PriceListEntry) -> Product:
        product = Product(sku=entry.sku, name=entry.name, price=entry.price, stock=entry.stock)
        self.db.add(product)
        return product
