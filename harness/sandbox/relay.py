"""Runs inside the sandbox, as its first process: a loopback port that leads out through one socket.

The sandbox has no network. This script binds 127.0.0.1 on a free port, forks a relay that
passes every connection to the Unix socket given (the harness's `egress.ApiRelay`, outside),
sets ANTHROPIC_BASE_URL to that port and replaces itself with the command. It runs with
`python -I -c`, so it imports nothing from the workspace or the harness: standard library only.
"""

import contextlib
import os
import socket
import sys
import threading

CHUNK = 65536


def pipe(source, target, done):
    """Copy one direction; an end of input is passed on as a half-close, and the second
    direction to finish closes both sockets (no descriptor outlives its connection)."""
    with contextlib.suppress(OSError):
        while True:
            data = source.recv(CHUNK)
            if not data:
                break
            target.sendall(data)
    with contextlib.suppress(OSError):
        target.shutdown(socket.SHUT_WR)
    if done.acquire(blocking=False):
        return
    source.close()
    target.close()


def serve(listener, socket_path):
    while True:
        client, _ = listener.accept()
        outward = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            outward.connect(socket_path)
        except OSError:
            client.close()
            outward.close()
            continue
        done = threading.Lock()
        threading.Thread(target=pipe, args=(client, outward, done), daemon=True).start()
        threading.Thread(target=pipe, args=(outward, client, done), daemon=True).start()


def main():
    socket_path, command = sys.argv[1], sys.argv[2:]
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)
    port = listener.getsockname()[1]
    if os.fork() == 0:
        os.setsid()
        serve(listener, socket_path)
        os._exit(0)
    listener.close()
    os.environ["ANTHROPIC_BASE_URL"] = f"http://127.0.0.1:{port}"
    os.execvp(command[0], command)


if __name__ == "__main__":
    main()
