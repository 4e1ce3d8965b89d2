import asyncio

from sqlalchemy.orm import Session

from app.core.result import Result, failure, success
from app.domain.exceptions import NotFoundError, TooManyRowsError, ValidationFailedError
from app.services import product_import
from app.services.product_import import ImportSummary

__all__ = ["ImportSummary", "ProductImportService"]


class ProductImportService:
    def __init__(self, db: Session) -> None:
        self.db = db

    async def import_file(
        self, file_name: str
    ) -> Result[ImportSummary, ValidationFailedError | NotFoundError | TooManyRowsError]:
        if not product_import.check_file_name(file_name):
            return failure(ValidationFailedError("invalid_file_name"))
        path = product_import.resolve_path(file_name)
        text = await asyncio.to_thread(product_import.read_file, path)
        if text is None:
            return failure(NotFoundError("file_not_found"))
        rows = product_import.read_rows(text)
        if product_import.too_many_rows(rows):
            return failure(TooManyRowsError())
        summary = product_import.import_rows(self.db, rows)
        self.db.commit()
        return success(summary)
