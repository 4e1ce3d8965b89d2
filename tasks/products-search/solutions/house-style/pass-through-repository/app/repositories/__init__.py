from app.repositories.product_search_repository import ProductSearchRepository

__all__ = ["ProductSearchRepository"]
