from app.repositories.product_repository import ProductRepository
from app.repositories.product_search_repository import ProductSearchRepository
from app.repositories.token_repository import TokenRepository
from app.repositories.user_repository import UserRepository

__all__ = ["ProductRepository", "ProductSearchRepository", "TokenRepository", "UserRepository"]
