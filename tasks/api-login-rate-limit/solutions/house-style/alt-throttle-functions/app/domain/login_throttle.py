"""The domain error of an over-used login key; it knows how long the client must wait."""

from app.domain.exceptions import RateLimitedError


class LoginThrottledError(RateLimitedError):
    """Too many login attempts for one (client IP, email) in the current window."""

    def __init__(self, retry_after_seconds: int) -> None:
        super().__init__()
        self.retry_after_seconds = retry_after_seconds
