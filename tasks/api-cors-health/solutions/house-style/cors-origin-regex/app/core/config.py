"""Application settings, read from environment variables when constructed."""

import os
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache

DEFAULT_DATABASE_URL = "sqlite:///./app.db"
DEFAULT_SECRET_KEY = "dev-secret-key"
DEFAULT_WEBHOOK_SECRET = "whsec_test"
DEFAULT_ACCESS_TOKEN_MINUTES = 30
DEFAULT_VAT_RATE = Decimal("0.23")
# The browser frontends: the storefront and the admin panel.
DEFAULT_CORS_ORIGINS = ("https://shop.example.com", "https://admin.shop.example.com")


def _env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    return int(raw)


def _env_list(name: str) -> list[str]:
    raw = os.environ.get(name, "")
    return [item.strip() for item in raw.split(",") if item.strip()]


@dataclass
class Settings:
    database_url: str = field(
        default_factory=lambda: os.environ.get("DATABASE_URL", DEFAULT_DATABASE_URL)
    )
    secret_key: str = field(
        default_factory=lambda: os.environ.get("SECRET_KEY", DEFAULT_SECRET_KEY)
    )
    webhook_secret: str = field(
        default_factory=lambda: os.environ.get("WEBHOOK_SECRET", DEFAULT_WEBHOOK_SECRET)
    )
    access_token_minutes: int = field(
        default_factory=lambda: _env_int("ACCESS_TOKEN_MINUTES", DEFAULT_ACCESS_TOKEN_MINUTES)
    )
    cors_origins: list[str] = field(
        default_factory=lambda: _env_list("CORS_ORIGINS") or list(DEFAULT_CORS_ORIGINS)
    )
    vat_rate: Decimal = DEFAULT_VAT_RATE


@lru_cache
def get_settings() -> Settings:
    """Return the process-wide settings; `get_settings.cache_clear()` re-reads the env."""
    return Settings()
