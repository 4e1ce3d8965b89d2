from fastapi import Header


def get_bearer_token(authorization: str | None = Header(None)) -> str:
    """The raw token sent as `Authorization: Bearer <token>` ("" when there is none)."""
    scheme, _, token = (authorization or "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" else ""
