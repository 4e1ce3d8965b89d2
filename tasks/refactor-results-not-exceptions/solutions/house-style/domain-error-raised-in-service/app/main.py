from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from app.api.errors import install_error_handlers
from app.api.routes import api_router
from app.db import init_db


@asynccontextmanager
async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
    init_db()
    yield


def create_app() -> FastAPI:
    application = FastAPI(title="Shop API", lifespan=lifespan)
    install_error_handlers(application)
    application.include_router(api_router)
    return application


app = create_app()
