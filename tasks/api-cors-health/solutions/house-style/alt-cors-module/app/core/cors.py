"""The CORS policy for the browser frontends, built from the settings."""

from typing import Any

from app.core.config import Settings

ALLOWED_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")
ALLOWED_HEADERS = ("Authorization", "Content-Type")


def cors_options(settings: Settings) -> dict[str, Any]:
    """Keyword arguments for CORSMiddleware: exact origins only, since credentials are allowed."""
    origins = [origin for origin in settings.cors_origins if origin != "*"]
    return {
        "allow_origins": origins,
        "allow_credentials": True,
        "allow_methods": list(ALLOWED_METHODS),
        "allow_headers": list(ALLOWED_HEADERS),
    }
