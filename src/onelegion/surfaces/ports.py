"""Is a TCP port free to listen on? Asked before a server starts, so a taken port is one clear
line instead of a server's traceback."""

from __future__ import annotations

import errno
import socket

from onelegion.core.errors import UserError


def check_port_free(host: str, port: int, *, flag: str = "--port") -> None:
    """Raise :class:`UserError` naming the port and how to choose another when it is taken."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn binds
        try:
            s.bind((host, port))
        except OSError as e:
            if e.errno == errno.EADDRINUSE:
                raise UserError(
                    f"port {port} on {host} is already in use (another `legion serve`?)",
                    hint=f"choose another with {flag} {port + 1}, or stop what is listening there",
                ) from None
            if e.errno == errno.EADDRNOTAVAIL:
                raise UserError(
                    f"{host} is not an address of this machine",
                    hint="use 127.0.0.1 (this machine only) or 0.0.0.0 (with a token)",
                ) from None
            raise UserError(f"cannot listen on {host}:{port}: {e.strerror}") from None
