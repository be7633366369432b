"""A small client for the TikTok Shop Open API: signed requests, pagination, back-off.

Every request carries ``app_key``, ``timestamp`` and ``shop_cipher`` and is signed (see
``signing.py``); the access token goes in the ``x-tts-access-token`` header. Transient
failures (HTTP 429, 5xx, a dropped connection, a timeout) are retried with exponential
back-off, honouring ``Retry-After``; an expired or invalid token raises ``TokenExpired``
at once (retrying cannot help); any other non-zero ``code`` raises ``ApiError``.
Nothing here logs a credential: messages name the path and the API's code only.
"""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from campaign_core.openapi.credentials import Credentials
from campaign_core.openapi.signing import sign

# TikTok Shop error codes for credentials: 105001 invalid, 105002 expired.
TOKEN_ERROR_CODES = frozenset({105001, 105002})
DEFAULT_PAGE_SIZE = 50
MAX_PAGES = 10_000  # a guard against a server that never stops paginating


class ApiError(RuntimeError):
    """The API answered with an error, or kept failing after the retries."""

    def __init__(self, message: str, code: int | None = None, status: int | None = None):
        super().__init__(message)
        self.code, self.status = code, status


class TokenExpired(ApiError):
    """The access token is expired or invalid: refresh it in secrets.toml."""


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


class ApiClient:
    """Signed calls to the Open API of one shop. ``sleep`` and ``clock`` are injectable
    so tests run without waiting; ``retries`` counts every retry made (for reports)."""

    def __init__(self, credentials: Credentials, *, retry: RetryPolicy | None = None,
                 timeout_s: float = 30.0, sleep: Callable[[float], None] = time.sleep,
                 clock: Callable[[], float] = time.time):
        self._credentials = credentials
        self._retry = retry or RetryPolicy()
        self._timeout = timeout_s
        self._sleep, self._clock = sleep, clock
        self.retries = 0
        self.requests = 0

    def call(self, method: str, path: str, *, params: dict | None = None,
             body: dict | None = None) -> dict:
        """One API call; returns the response's ``data`` object.

        Raises ``TokenExpired``, or ``ApiError`` for an error code or when the retries are
        used up."""
        last_error = "no attempt made"
        for attempt in range(1, self._retry.attempts + 1):
            try:
                return self._once(method, path, params or {}, body)
            except _Transient as error:
                last_error = str(error)
                if attempt == self._retry.attempts:
                    break
                self.retries += 1
                self._sleep(self._retry.delay(attempt, error.retry_after))
        raise ApiError(f"{path}: gave up after {self._retry.attempts} attempts "
                       f"({last_error})")

    def pages(self, method: str, path: str, list_key: str, *, params: dict | None = None,
              body: dict | None = None, page_size: int = DEFAULT_PAGE_SIZE) -> Iterator[list]:
        """The ``data[list_key]`` list of each page, following ``next_page_token``."""
        token = ""
        for _ in range(MAX_PAGES):
            query = {**(params or {}), "page_size": page_size}
            if token:
                query["page_token"] = token
            data = self.call(method, path, params=query, body=body)
            yield data.get(list_key) or []
            token = data.get("next_page_token") or ""
            if not token:
                return
        raise ApiError(f"{path}: more than {MAX_PAGES} pages; stopped")

    def _once(self, method: str, path: str, params: dict, body: dict | None) -> dict:
        credentials = self._credentials
        query = {**{k: str(v) for k, v in params.items()}, "app_key": credentials.app_key,
                 "timestamp": str(int(self._clock())),
                 "shop_cipher": credentials.shop_cipher}
        payload = json.dumps(body, separators=(",", ":")).encode() if body is not None else b""
        query["sign"] = sign(credentials.app_secret, path, query, payload)
        url = f"{credentials.base_url}{path}?{urllib.parse.urlencode(query)}"
        request = urllib.request.Request(
            url, data=payload if method != "GET" else None, method=method,
            headers={"content-type": "application/json",
                     "x-tts-access-token": credentials.access_token})
        self.requests += 1
        try:
            with urllib.request.urlopen(request, timeout=self._timeout) as response:
                status, raw = response.status, response.read()
        except urllib.error.HTTPError as error:
            status, raw = error.code, error.read()
            _raise_for_status(path, status, raw, error.headers.get("Retry-After"))
        except (urllib.error.URLError, TimeoutError, ConnectionError) as error:
            raise _Transient(f"connection failed: {getattr(error, 'reason', error)}") from None
        return _data_of(path, status, raw)


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
