from fastapi import APIRouter

from app.api.routes import health, product_search, products, users

api_router = APIRouter()
api_router.include_router(health.router)
api_router.include_router(users.router)
# Before products: GET /products/{product_id} would otherwise take /products/search.
api_router.include_router(product_search.router)
api_router.include_router(products.router)
