from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.middleware import Middleware
from fastapi.middleware.cors import CORSMiddleware

from app.api.routes import api_router
from app.core.config import get_settings
from app.core.cors import cors_options
from app.db import init_db


@asynccontextmanager
async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
    init_db()
    yield


def create_app() -> FastAPI:
    middleware = [Middleware(CORSMiddleware, **cors_options(get_settings()))]
    application = FastAPI(title="Shop API", lifespan=lifespan, middleware=middleware)
    application.include_router(api_router)
    return application


app = create_app()
