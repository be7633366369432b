"""Where this process can be reached: the addresses its listening sockets are bound to.

The dashboard decides whether it needs a sign-in from what the server really listens on,
not from the text of an option: Streamlit listens on every interface when its address
option is empty or unset, which a config file read from another folder can cause.
"""

from __future__ import annotations

import contextlib
import ipaddress
import os
import socket

# The names a loopback listener may be given; every other name may reach other machines.
LOOPBACK_NAMES = frozenset({"localhost"})
_FD_FOLDERS = ("/proc/self/fd", "/dev/fd")


def is_loopback(address: str | None) -> bool:
    """True only for addresses this machine alone can reach: ``localhost``, 127.0.0.0/8,
    ``::1`` (also as ``[::1]`` or IPv4-mapped). Empty, wildcard (``0.0.0.0``, ``::``),
    host names, Unix sockets and anything unreadable are False."""
    text = (address or "").strip().lower()
    if text.startswith("[") and text.endswith("]"):
        text = text[1:-1]
    if text in LOOPBACK_NAMES:
        return True
    try:
        ip = ipaddress.ip_address(text.split("%", 1)[0])
    except ValueError:
        return False
    mapped = getattr(ip, "ipv4_mapped", None)
    return ip.is_loopback or bool(mapped and mapped.is_loopback)


def listening_addresses() -> list[str] | None:
    """The local addresses of this process's listening TCP sockets (IPv4 and IPv6).

    Returns None where the platform gives no list of the process's open files (Windows);
    an empty list when nothing listens (a test run without a server).
    """
    accept_option = getattr(socket, "SO_ACCEPTCONN", None)
    for folder in _FD_FOLDERS:
        try:
            descriptors = [int(name) for name in os.listdir(folder) if name.isdigit()]
        except OSError:
            continue
        if accept_option is None:
            return None
        return [address for fd in descriptors
                if (address := _listening_address(fd, accept_option)) is not None]
    return None


def _listening_address(fd: int, accept_option: int) -> str | None:
    try:
        duplicate = os.dup(fd)
    except OSError:  # closed meanwhile by another thread
        return None
    try:
        sock = socket.socket(fileno=duplicate)
    except OSError:  # not a socket
        with contextlib.suppress(OSError):
            os.close(duplicate)
        return None
    with sock:
        try:
            if sock.family not in (socket.AF_INET, socket.AF_INET6) \
                    or sock.type != socket.SOCK_STREAM \
                    or not sock.getsockopt(socket.SOL_SOCKET, accept_option):
                return None
            return str(sock.getsockname()[0])
        except OSError:
            return None


def client_behind_proxies(peer: str | None, forwarded_for: str | None,
                          trusted: str | None) -> str | None:
    """The browser's address for per-client limits: the TCP ``peer`` itself, unless it is a
    ``trusted`` proxy (comma-separated addresses or networks, ``CAMPAIGN_TRUSTED_PROXIES``);
    then the right-most ``X-Forwarded-For`` entry that is not a trusted proxy.

    Behind a reverse proxy every browser shares the proxy's address, so one guesser would
    lock everyone's sign-in; only entries a trusted proxy appended can be believed (a
    browser writes whatever it likes at the left). Unreadable entries stop the walk and
    the last trusted hop is returned, never a guess.
    """
    networks = _networks(trusted)
    if not networks or not _inside(peer, networks):
        return peer
    address = peer
    for entry in reversed([part.strip() for part in (forwarded_for or "").split(",")]):
        if not entry:
            continue
        try:
            ipaddress.ip_address(entry)
        except ValueError:
            return address
        address = entry
        if not _inside(entry, networks):
            return entry
    return address


def _networks(text: str | None) -> list:
    networks = []
    for part in (text or "").split(","):
        if part.strip():
            try:
                networks.append(ipaddress.ip_network(part.strip(), strict=False))
            except ValueError:
                raise ValueError(f"CAMPAIGN_TRUSTED_PROXIES: {part.strip()!r} is not an "
                                 "address or network (write e.g. 172.16.0.0/12).") from None
    return networks


def _inside(address: str | None, networks: list) -> bool:
    try:
        ip = ipaddress.ip_address((address or "").split("%", 1)[0])
    except ValueError:
        return False
    return any(ip.version == network.version and ip in network for network in networks)
