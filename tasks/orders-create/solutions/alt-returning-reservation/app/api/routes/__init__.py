from fastapi import APIRouter

from app.api.routes import health, ordering, users

api_router = APIRouter()
for module in (health, users, ordering):
    api_router.include_router(module.router)
