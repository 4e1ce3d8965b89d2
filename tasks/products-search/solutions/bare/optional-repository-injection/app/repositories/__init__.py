from app.repositories.product_repository import ProductRepository

__all__ = ["ProductRepository"]
