from fastapi import APIRouter, Depends
from sqlalchemy.orm import Session

from app.api.deps import get_current_user, get_db
from app.schemas.product_import import ProductImportIn, ProductImportOut
from app.services.product_import_service import ImportSummary, ProductImportService

router = APIRouter(prefix="/products", tags=["products"])


@router.post("/import", response_model=ProductImportOut, dependencies=[Depends(get_current_user)])
async def import_products(payload: ProductImportIn, db: Session = Depends(get_db)) -> ImportSummary:
    return await ProductImportService(db).import_file(payload.file)
