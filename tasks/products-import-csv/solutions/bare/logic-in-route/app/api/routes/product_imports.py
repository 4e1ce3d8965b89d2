import csv
from decimal import Decimal, InvalidOperation

from fastapi import APIRouter, Depends, HTTPException
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.api.deps import get_current_user, get_db
from app.core.imports import IMPORT_DIR
from app.models.product import Product
from app.schemas.product_import import ProductImportIn, ProductImportOut

router = APIRouter(prefix="/products", tags=["products"])

MAX_ROWS = 500
CSV_SUFFIX = ".csv"


def _price(raw: str | None) -> Decimal | None:
    try:
        price = Decimal((raw or "").strip())
    except InvalidOperation:
        return None
    if not price.is_finite() or price <= 0 or price.as_tuple().exponent < -2:
        return None
    return price


def _stock(raw: str | None) -> int | None:
    try:
        stock = int((raw or "").strip())
    except ValueError:
        return None
    return stock if stock >= 0 else None


@router.post("/import", response_model=ProductImportOut, dependencies=[Depends(get_current_user)])
async def import_products(payload: ProductImportIn, db: Session = Depends(get_db)) -> dict:
    name = payload.file
    if "/" in name or "\\" in name or not name.endswith(CSV_SUFFIX):
        raise HTTPException(status_code=422, detail="invalid_file_name")
    path = IMPORT_DIR / name
    if not path.is_file():
        raise HTTPException(status_code=404, detail="file_not_found")

    with open(path, newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        rows = [(reader.line_num, row) for row in reader]
    if len(rows) > MAX_ROWS:
        raise HTTPException(status_code=413, detail="too_many_rows")

    created = updated = 0
    rejected = []
    for line, row in rows:
        sku = (row.get("sku") or "").strip()
        price = _price(row.get("price"))
        stock = _stock(row.get("stock"))
        if not sku:
            rejected.append({"line": line, "reason": "missing_sku"})
        elif price is None:
            rejected.append({"line": line, "reason": "invalid_price"})
        elif stock is None:
            rejected.append({"line": line, "reason": "invalid_stock"})
        else:
            product = db.scalars(select(Product).where(Product.sku == sku)).first()
            if product is None:
                db.add(
                    Product(sku=sku, name=(row.get("name") or "").strip(), price=price, stock=stock)
                )
                created += 1
            else:
                product.name = (row.get("name") or "").strip()
                product.price = price
                product.stock = stock
                updated += 1
    db.commit()
    return {"created": created, "updated": updated, "rejected": rejected}
