from fastapi import APIRouter

from app.api.routes import health, ordering, products, users

api_router = APIRouter()
for module in (health, users, products, ordering):
    api_router.include_router(module.router)
