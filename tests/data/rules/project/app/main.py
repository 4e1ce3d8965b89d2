import time
from time import sleep as pause


def open_file(path):
    with open(path) as handle:
        return handle.read()


async def startup():
    pause(0.1)  # error: ARCH601
    time.sleep(0.1)  # error: ARCH601
    with open("config.toml") as handle:  # error: ARCH601
        return handle.read()
