"""Who is calling: the TCP peer of the request (forwarding headers are not trusted)."""

from fastapi import Request

NO_CLIENT_ADDRESS = "unknown"


def get_client_address(request: Request) -> str:
    client = request.client
    return client.host if client is not None else NO_CLIENT_ADDRESS
