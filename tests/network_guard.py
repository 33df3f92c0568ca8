"""Report every attempt of this Python process to reach a host other than this machine.

`install()` adds an audit hook (PEP 578): Python raises an audit event for every socket connect, name lookup and
urllib request, whichever library makes it. Each attempt towards another host is written to standard error as a
line starting with `NETWORK:`; the offline tests run a command with the hook installed and look for such lines.
"""
import socket
import sys
from urllib.parse import urlsplit

PREFIX = "NETWORK:"
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1", "0.0.0.0", "::", ""}
LOOKUPS = {"socket.getaddrinfo", "socket.gethostbyname", "socket.gethostbyname_ex", "socket.gethostbyaddr"}


def _host(event: str, args: tuple):
    if event == "socket.connect":
        sock, address = args
        if sock.family == socket.AF_UNIX:
            return None
        return address[0] if isinstance(address, tuple) else address
    if event in LOOKUPS:
        return args[0]
    if event == "urllib.Request":
        return urlsplit(args[0]).hostname
    return None


def _hook(event: str, args: tuple) -> None:
    host = _host(event, args)
    if isinstance(host, bytes):
        host = host.decode("ascii", "replace")
    if host is not None and str(host) not in LOCAL_HOSTS:
        print(f"{PREFIX} {event} {host}", file=sys.stderr, flush=True)


def install() -> None:
    sys.addaudithook(_hook)
