"""Catalog: looking up products, adding them, pricing and stock."""

from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.result import Failure, Result, failure, success
from app.domain.exceptions import (
    ConflictError,
    InsufficientStockError,
    InvalidPriceError,
    NotFoundError,
    ValidationFailedError,
)
from app.models.product import Product

MIN_RESTOCK_QUANTITY = 1
PRICE_NOT_POSITIVE = "price must be greater than zero"

CreateProductError = ValidationFailedError | InvalidPriceError | ConflictError


class CatalogService:
    def __init__(self, db: Session) -> None:
        self.db = db

    def get_product(self, product_id: int) -> Result[Product, NotFoundError]:
        product = self.db.get(Product, product_id)
        if product is None:
            return failure(NotFoundError(f"product {product_id} not found"))
        return success(product)

    def create_product(
        self, sku: str, name: str, price: Decimal, stock: int
    ) -> Result[Product, CreateProductError]:
        """Add a product; SKUs are stored trimmed and upper-cased and are unique."""
        sku = sku.strip().upper()
        name = name.strip()
        if not sku:
            return failure(ValidationFailedError("sku is required"))
        if not name:
            return failure(ValidationFailedError("name is required"))
        if price <= 0:
            return failure(InvalidPriceError(PRICE_NOT_POSITIVE))
        if stock < 0:
            return failure(ValidationFailedError("stock cannot be negative"))
        if self.db.scalars(select(Product).where(Product.sku == sku)).first() is not None:
            return failure(ConflictError(f"sku {sku} already exists"))

        product = Product(sku=sku, name=name, price=price, stock=stock)
        self.db.add(product)
        self.db.commit()
        return success(product)

    def update_price(
        self, product_id: int, price: Decimal
    ) -> Result[Product, NotFoundError | InvalidPriceError]:
        found = self.get_product(product_id)
        if isinstance(found, Failure):
            return found
        if price <= 0:
            return failure(InvalidPriceError(PRICE_NOT_POSITIVE))
        product = found.value
        product.price = price
        self.db.commit()
        return success(product)

    def restock(
        self, product_id: int, quantity: int
    ) -> Result[Product, NotFoundError | ValidationFailedError]:
        """Goods received: add `quantity` to the stock."""
        found = self.get_product(product_id)
        if isinstance(found, Failure):
            return found
        if quantity < MIN_RESTOCK_QUANTITY:
            return failure(
                ValidationFailedError(f"quantity must be at least {MIN_RESTOCK_QUANTITY}")
            )
        product = found.value
        product.stock += quantity
        self.db.commit()
        return success(product)

    def reserve_stock(
        self, product_id: int, quantity: int
    ) -> Result[Product, NotFoundError | InsufficientStockError]:
        """Take `quantity` out of the stock for an order. Does not commit: the caller does,
        once the whole order is reserved. A failure changes nothing."""
        found = self.get_product(product_id)
        if isinstance(found, Failure):
            return found
        product = found.value
        if product.stock < quantity:
            return failure(
                InsufficientStockError(
                    f"not enough stock for {product.sku}: "
                    f"{quantity} requested, {product.stock} available"
                )
            )
        product.stock -= quantity
        return success(product)
