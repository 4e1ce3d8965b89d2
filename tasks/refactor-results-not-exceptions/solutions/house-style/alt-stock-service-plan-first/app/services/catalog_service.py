"""Catalog: products and their prices; stock movements go through StockService."""

from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.result import Failure, Result, Success, failure, success
from app.domain.exceptions import (
    BadRequestError,
    ConflictError,
    DomainError,
    InsufficientStockError,
    NotFoundError,
    ValidationFailedError,
)
from app.models.product import Product
from app.services.stock_service import StockService

NON_POSITIVE_PRICE = "price must be greater than zero"


def _price_error(price: Decimal) -> BadRequestError | None:
    return BadRequestError(NON_POSITIVE_PRICE) if price <= 0 else None


def _new_product_error(sku: str, name: str, price: Decimal, stock: int) -> DomainError | None:
    """The first problem with a new product's fields, in the order the API reports them."""
    if not sku:
        return ValidationFailedError("sku is required")
    if not name:
        return ValidationFailedError("name is required")
    price_error = _price_error(price)
    if price_error is not None:
        return price_error
    if stock < 0:
        return ValidationFailedError("stock cannot be negative")
    return None


class CatalogService:
    def __init__(self, db: Session) -> None:
        self.db = db
        self.stock = StockService()

    def get_product(self, product_id: int) -> Result[Product, NotFoundError]:
        product = self.db.get(Product, product_id)
        if product is None:
            return failure(NotFoundError(f"product {product_id} not found"))
        return success(product)

    def create_product(
        self, sku: str, name: str, price: Decimal, stock: int
    ) -> Result[Product, DomainError]:
        sku, name = sku.strip().upper(), name.strip()
        problem = _new_product_error(sku, name, price, stock)
        if problem is not None:
            return failure(problem)
        if self.db.scalars(select(Product.id).where(Product.sku == sku)).first() is not None:
            return failure(ConflictError(f"sku {sku} already exists"))
        product = Product(sku=sku, name=name, price=price, stock=stock)
        self.db.add(product)
        self.db.commit()
        return success(product)

    def update_price(self, product_id: int, price: Decimal) -> Result[Product, DomainError]:
        match self.get_product(product_id):
            case Failure() as missing:
                return missing
            case Success(value=product):
                error = _price_error(price)
                if error is not None:
                    return failure(error)
                product.price = price
                self.db.commit()
                return success(product)

    def restock(self, product_id: int, quantity: int) -> Result[Product, DomainError]:
        match self.get_product(product_id):
            case Failure() as missing:
                return missing
            case Success(value=product):
                added = self.stock.add(product, quantity)
                if isinstance(added, Success):
                    self.db.commit()
                return added

    def reserve_stock(
        self, product_id: int, quantity: int
    ) -> Result[Product, NotFoundError | InsufficientStockError]:
        """Take stock for an order line (no commit: the caller commits the whole order)."""
        match self.get_product(product_id):
            case Failure() as missing:
                return missing
            case Success(value=product):
                return self.stock.take(product, quantity)
