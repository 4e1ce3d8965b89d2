type Token = str


def get_current_user(token: Token) -> dict[str, str]:
    return {"token": token}
