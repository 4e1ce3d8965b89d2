from typing import Any

from fastapi import APIRouter, Depends
from pydantic import BaseModel
from sqlalchemy.orm import Session

from app.api.deps import get_current_user, get_db
from app.api.errors import raise_for
from app.core.result import Failure, Success
from app.models.user import User
from app.services.product_import_service import ProductImportService

router = APIRouter(prefix="/products", tags=["products"])


class ImportRequest(BaseModel):
    file: str


@router.post("/import")
async def import_products(
    body: ImportRequest,
    _user: User = Depends(get_current_user),
    db: Session = Depends(get_db),
) -> dict[str, Any]:
    match await ProductImportService(db).import_file(body.file):
        case Success(value=outcome):
            return {
                "created": outcome.created,
                "updated": outcome.updated,
                "rejected": [{"line": r.line, "reason": r.reason} for r in outcome.rejected],
            }
        case Failure(error=error):
            raise_for(error)
