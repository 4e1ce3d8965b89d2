from typing import List

from pydantic import BaseModel


class ProductImportRequest(BaseModel):
    file: str


class RejectedRow(BaseModel):
    line: int
    reason: str


class ProductImportResult(BaseModel):
    created: int
    updated: int
    rejected: List[RejectedRow]
