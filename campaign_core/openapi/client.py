"""A small client for the TikTok Shop Open API: signed requests, pagination, back-off.

Every request carries ``app_key``, ``timestamp`` and ``shop_cipher`` and is signed (see
``signing.py``); the access token goes in the ``x-tts-access-token`` header. Transient
failures (HTTP 429, 5xx, a dropped connection, a timeout) are retried with exponential
back-off, honouring ``Retry-After``; an expired or invalid token raises ``TokenExpired``
at once (retrying cannot help); any other non-zero ``code`` raises ``ApiError``.
Nothing here logs a credential: messages name the path and the API's code only.

A client is one sync run, and ``Limits`` bound what the API can take from it: each
request's whole time (not only the silence between two reads) and size, the items of a
page (no more than asked for), the pages of a pull, and the run's time, bytes and
back-off. Redirects are never followed: the signed request and its access token go to the
configured API address only.
"""

from __future__ import annotations

import base64
import contextlib
import http.client
import json
import socket
import threading
import time
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime

from campaign_core.openapi.credentials import Credentials
from campaign_core.openapi.signing import sign
from campaign_core.openapi.versions import EndpointSunset, check_base_url, check_endpoint

# TikTok Shop error codes for credentials: 105001 invalid, 105002 expired.
TOKEN_ERROR_CODES = frozenset({105001, 105002})
DEFAULT_PAGE_SIZE = 50
_CHUNK = 64 * 1024


class ApiError(RuntimeError):
    """The API answered with an error, or kept failing after the retries, or went past
    one of the client's limits."""

    def __init__(self, message: str, code: int | None = None, status: int | None = None):
        super().__init__(message)
        self.code, self.status = code, status


class TokenExpired(ApiError):
    """The access token is expired or invalid: refresh it in secrets.toml."""


class PageLimitReached(ApiError):
    """A pull reached ``Limits.pages`` with more pages announced; what came is usable."""

    def __init__(self, message: str, pages: int):
        super().__init__(message)
        self.pages = pages


@dataclass(frozen=True)
class RetryPolicy:
    attempts: int = 5  # tries per request, the first included
    base_delay_s: float = 1.0
    max_delay_s: float = 30.0

    def delay(self, attempt: int, retry_after: str | None) -> float:
        if retry_after:
            try:
                return min(self.max_delay_s, max(0.0, float(retry_after)))
            except ValueError:
                pass
        return min(self.max_delay_s, self.base_delay_s * 2 ** (attempt - 1))


@dataclass(frozen=True)
class Limits:
    """What one sync run (one client) may spend on the API."""

    request_s: float = 60.0  # one request, from connecting to its last byte
    read_timeout_s: float = 30.0  # silence on the connection
    response_bytes: int = 16 * 2**20  # one answer (a page of 50 orders is ~250 kB)
    pages: int = 400  # one pull: 20,000 orders at 50 a page; the next sync goes on
    run_s: float = 900.0  # every request and back-off of the run
    run_bytes: int = 512 * 2**20  # every answer of the run
    retry_wait_s: float = 60.0  # all back-off of the run: a 429 storm ends the sync


class ApiClient:
    """Signed calls to the Open API of one shop, for one sync run. ``sleep``, ``clock``
    (the signed timestamp) and ``monotonic`` (the limits) are injectable so tests run
    without waiting; ``retries`` counts every retry made (for reports)."""

    def __init__(self, credentials: Credentials, *, retry: RetryPolicy | None = None,
                 limits: Limits | None = None, sleep: Callable[[float], None] = time.sleep,
                 clock: Callable[[], float] = time.time,
                 monotonic: Callable[[], float] = time.monotonic):
        self._credentials = credentials
        self._retry = retry or RetryPolicy()
        self.limits = limits or Limits()
        self._sleep, self._clock, self._monotonic = sleep, clock, monotonic
        self._run_deadline = monotonic() + self.limits.run_s
        self.retries = 0
        self.requests = 0
        self.waited_s = 0.0
        self.bytes_received = 0

    def call(self, method: str, path: str, *, params: dict | None = None,
             body: dict | None = None) -> dict:
        """One API call; returns the response's ``data`` object.

        Raises ``TokenExpired``, or ``ApiError`` for an error code, when the retries are
        used up, when a limit is reached, for a sunset path (naming its successor) and
        for a base_url that is not HTTPS."""
        try:
            check_base_url(self._credentials.base_url)
            check_endpoint(path, datetime.fromtimestamp(self._clock(), UTC).date())
        except (EndpointSunset, ValueError) as error:
            raise ApiError(str(error)) from None
        last_error = "no attempt made"
        for attempt in range(1, self._retry.attempts + 1):
            self._check_run(path)
            try:
                return self._once(method, path, params or {}, body)
            except _Transient as error:
                last_error = str(error)
                if attempt == self._retry.attempts:
                    break
                delay = self._retry.delay(attempt, error.retry_after)
                if self.waited_s + delay > self.limits.retry_wait_s:
                    raise ApiError(
                        f"{path}: gave up ({last_error}): waiting {delay:g} s more would pass "
                        f"the sync's back-off limit of {self.limits.retry_wait_s:g} s; "
                        "try again later") from None
                self.retries += 1
                self.waited_s += delay
                self._sleep(delay)
        raise ApiError(f"{path}: gave up after {self._retry.attempts} attempts "
                       f"({last_error})")

    def pages(self, method: str, path: str, list_key: str, *, params: dict | None = None,
              body: dict | None = None, page_size: int = DEFAULT_PAGE_SIZE) -> Iterator[list]:
        """The ``data[list_key]`` list of each page, following ``next_page_token``.

        Raises ``ApiError`` for a page of more than ``page_size`` items or a page token
        seen before, and ``PageLimitReached`` after ``Limits.pages`` pages when the API
        still announces more."""
        token, seen = "", set()
        for _ in range(self.limits.pages):
            query = {**(params or {}), "page_size": page_size}
            if token:
                query["page_token"] = token
            data = self.call(method, path, params=query, body=body)
            items = data.get(list_key) or []
            if not isinstance(items, list) or len(items) > page_size:
                count = len(items) if isinstance(items, list) else "unreadable"
                raise ApiError(f"{path}: a page of {count} items, asked for at most "
                               f"{page_size}; stopped")
            yield items
            token = str(data.get("next_page_token") or "")
            if not token:
                return
            if token in seen:
                raise ApiError(f"{path}: the API sent a page token twice; stopped")
            seen.add(token)
        raise PageLimitReached(f"{path}: stopped after {self.limits.pages} pages",
                               self.limits.pages)

    def _check_run(self, path: str) -> None:
        if self._monotonic() > self._run_deadline:
            raise ApiError(f"{path}: the sync ran longer than {self.limits.run_s:g} s; "
                           "stopped (the next sync goes on)")
        if self.bytes_received > self.limits.run_bytes:
            raise ApiError(f"{path}: the sync received more than "
                           f"{self.limits.run_bytes:,} bytes; stopped")

    def _once(self, method: str, path: str, params: dict, body: dict | None) -> dict:
        credentials = self._credentials
        query = {**{k: str(v) for k, v in params.items()}, "app_key": credentials.app_key,
                 "timestamp": str(int(self._clock())),
                 "shop_cipher": credentials.shop_cipher}
        payload = json.dumps(body, separators=(",", ":")).encode() if body is not None else b""
        query["sign"] = sign(credentials.app_secret, path, query, payload)
        base = urllib.parse.urlsplit(credentials.base_url)
        self.requests += 1
        status, headers, raw = self._exchange(
            base, method, f"{base.path}{path}?{urllib.parse.urlencode(query)}",
            payload if method != "GET" else None,
            {"content-type": "application/json",
             "x-tts-access-token": credentials.access_token}, path)
        if 300 <= status < 400:
            target = urllib.parse.urlsplit(headers.get("location") or "").hostname
            raise ApiError(f"{path}: the API answered with a redirect (HTTP {status}"
                           f"{f' to {target}' if target else ''}); redirects are not "
                           "followed, so the access token only goes to base_url", None, status)
        if status >= 400:
            _raise_for_status(path, status, raw, headers.get("retry-after"))
        return _data_of(path, status, raw)

    def _exchange(self, base: urllib.parse.SplitResult, method: str, target: str,
                  payload: bytes | None, headers: dict, path: str
                  ) -> tuple[int, dict[str, str], bytes]:
        """One HTTP exchange under the request limits: (status, headers, body)."""
        limits = self.limits
        budget = max(0.0, min(limits.request_s, self._run_deadline - self._monotonic()))
        if base.scheme not in _CONNECTIONS or not base.hostname:
            raise ApiError(f"base_url must be an http(s) address, not {base.scheme!r}")
        conn, prefix, proxy_headers = _connect_via_proxy(
            base, min(limits.read_timeout_s, budget) or 0.001)
        target, headers = prefix + target, {**headers, **proxy_headers}
        # The read timeout restarts with every byte; a drip of bytes would never trip it.
        # The watchdog ends the exchange once its whole time is up.
        hang_up = _HangUp()
        watchdog = threading.Timer(budget, hang_up)
        watchdog.daemon = True
        watchdog.start()
        try:
            conn.connect()
            hang_up.sock = conn.sock  # the connection forgets it when the answer ends
            if hang_up.fired.is_set():  # the time was up before the socket was known
                raise TimeoutError
            conn.request(method, target, body=payload, headers=headers)
            response = conn.getresponse()
            answer_headers = {k.lower(): v for k, v in response.getheaders()}
            raw = self._read_body(response, answer_headers, path)
            if hang_up.fired.is_set():  # a cut-off answer may look like a short whole one
                raise TimeoutError
            return response.status, answer_headers, raw
        except (OSError, http.client.HTTPException) as error:
            if hang_up.fired.is_set():
                raise _Transient(f"the answer took longer than {budget:g} s") from None
            raise _Transient(f"connection failed: {getattr(error, 'reason', error)}") from None
        finally:
            watchdog.cancel()
            conn.close()

    def _read_body(self, response: http.client.HTTPResponse, headers: dict[str, str],
                   path: str) -> bytes:
        limit = self.limits.response_bytes
        declared = headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            raise ApiError(f"{path}: the answer is larger than {limit:,} bytes; stopped")
        chunks, total = [], 0
        while chunk := response.read1(_CHUNK):
            total += len(chunk)
            self.bytes_received += len(chunk)
            if total > limit:
                raise ApiError(f"{path}: the answer is larger than {limit:,} bytes; stopped")
            chunks.append(chunk)
        return b"".join(chunks)


_CONNECTIONS = {"https": http.client.HTTPSConnection, "http": http.client.HTTPConnection}


def _connect_via_proxy(base: urllib.parse.SplitResult, timeout: float
                       ) -> tuple[http.client.HTTPConnection, str, dict[str, str]]:
    """A connection to ``base``, through the proxy the environment names (``https_proxy``,
    ``http_proxy``, ``no_proxy``, as urllib reads them); with the prefix of the request
    target and the headers a plain-HTTP proxy needs."""
    proxy = urllib.request.getproxies().get(base.scheme)
    if not proxy or urllib.request.proxy_bypass(base.hostname):
        return _CONNECTIONS[base.scheme](base.hostname, base.port, timeout=timeout), "", {}
    via = urllib.parse.urlsplit(proxy if "://" in proxy else f"http://{proxy}")
    auth = {}
    if via.username:
        pair = f"{urllib.parse.unquote(via.username)}:{urllib.parse.unquote(via.password or '')}"
        auth["Proxy-Authorization"] = f"Basic {base64.b64encode(pair.encode()).decode()}"
    if base.scheme == "https":  # a CONNECT tunnel: TLS runs end to end with the API host
        conn = http.client.HTTPSConnection(via.hostname, via.port or 80, timeout=timeout)
        conn.set_tunnel(base.hostname, base.port, headers=auth)
        return conn, "", {}
    conn = http.client.HTTPConnection(via.hostname, via.port or 80, timeout=timeout)
    return conn, f"http://{base.netloc}", auth


class _HangUp:
    """Called by the watchdog: shuts the socket, so a blocked read returns at once."""

    def __init__(self) -> None:
        self.sock: socket.socket | None = None
        self.fired = threading.Event()

    def __call__(self) -> None:
        self.fired.set()
        if self.sock is not None:
            with contextlib.suppress(OSError):  # already closed
                self.sock.shutdown(socket.SHUT_RDWR)


class _Transient(Exception):
    def __init__(self, message: str, retry_after: str | None = None):
        super().__init__(message)
        self.retry_after = retry_after


def _raise_for_status(path: str, status: int, raw: bytes, retry_after: str | None) -> None:
    if status == 429 or status >= 500:
        raise _Transient(f"HTTP {status}", retry_after)
    code, message = _code_and_message(raw)
    if status == 401 or code in TOKEN_ERROR_CODES:
        raise TokenExpired(_token_message(path, code), code, status)
    raise ApiError(f"{path}: HTTP {status}, code {code}: {message}", code, status)


def _data_of(path: str, status: int, raw: bytes) -> dict:
    try:
        answer = json.loads(raw or b"{}")
    except ValueError:
        raise _Transient(f"HTTP {status} with a body that is not JSON") from None
    code = answer.get("code", 0)
    if code in TOKEN_ERROR_CODES:
        raise TokenExpired(_token_message(path, code), code, status)
    if code != 0:
        raise ApiError(f"{path}: code {code}: {str(answer.get('message', ''))[:200]}",
                       code, status)
    return answer.get("data") or {}


def _code_and_message(raw: bytes) -> tuple[int | None, str]:
    try:
        answer = json.loads(raw)
        return answer.get("code"), str(answer.get("message", ""))[:200]
    except (ValueError, AttributeError):
        return None, raw[:200].decode("utf-8", "replace")


def _token_message(path: str, code: int | None) -> str:
    return (f"{path}: the access token is expired or invalid (code {code}). Refresh it in "
            "Seller Center's app authorisation and put the new one in secrets.toml "
            "[tiktok_shop] access_token.")
