from fastapi import APIRouter, Depends
from sqlalchemy.orm import Session

from app.api.deps import get_current_user, get_db
from app.models.user import User
from app.schemas.product_import import ProductImportRequest, ProductImportResult
from app.services.product_import_service import ProductImportService

router = APIRouter(prefix="/products", tags=["products"])


@router.post("/import", response_model=ProductImportResult)
async def import_products(
    request: ProductImportRequest,
    current_user: User = Depends(get_current_user),
    db: Session = Depends(get_db),
):
    return await ProductImportService(db).import_file(request.file)
