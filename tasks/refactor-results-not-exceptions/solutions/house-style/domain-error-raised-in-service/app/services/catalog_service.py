"""Catalog: looking up products, adding them, pricing and stock."""

from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

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


class CatalogService:
    """Raises domain errors (app.domain.exceptions); the app maps them to responses."""

    def __init__(self, db: Session) -> None:
        self.db = db

    def get_product(self, product_id: int) -> Product:
        product = self.db.get(Product, product_id)
        if product is None:
            raise NotFoundError(f"product {product_id} not found")
        return product

    def create_product(self, sku: str, name: str, price: Decimal, stock: int) -> Product:
        """Add a product; SKUs are stored trimmed and upper-cased and are unique."""
        sku = sku.strip().upper()
        name = name.strip()
        if not sku:
            raise ValidationFailedError("sku is required")
        if not name:
            raise ValidationFailedError("name is required")
        self._check_price(price)
        if stock < 0:
            raise ValidationFailedError("stock cannot be negative")
        if self.db.scalars(select(Product).where(Product.sku == sku)).first() is not None:
            raise ConflictError(f"sku {sku} already exists")

        product = Product(sku=sku, name=name, price=price, stock=stock)
        self.db.add(product)
        self.db.commit()
        return product

    def update_price(self, product_id: int, price: Decimal) -> Product:
        product = self.get_product(product_id)
        self._check_price(price)
        product.price = price
        self.db.commit()
        return product

    def restock(self, product_id: int, quantity: int) -> Product:
        """Goods received: add `quantity` to the stock."""
        product = self.get_product(product_id)
        if quantity < MIN_RESTOCK_QUANTITY:
            raise ValidationFailedError(f"quantity must be at least {MIN_RESTOCK_QUANTITY}")
        product.stock += quantity
        self.db.commit()
        return product

    def reserve_stock(self, product_id: int, quantity: int) -> Product:
        """Take `quantity` out of the stock for an order. Does not commit: the caller does,
        once the whole order is reserved."""
        product = self.get_product(product_id)
        if product.stock < quantity:
            raise InsufficientStockError(
                f"not enough stock for {product.sku}: "
                f"{quantity} requested, {product.stock} available"
            )
        product.stock -= quantity
        return product

    @staticmethod
    def _check_price(price: Decimal) -> None:
        if price <= 0:
            raise InvalidPriceError(PRICE_NOT_POSITIVE)
