"""TikTok Shop Open API request signing (API version 202309 and later).

Source: TikTok Shop Partner Center, "Sign your API request"
(https://partner.tiktokshop.com/docv2/page/sign-your-api-request), as implemented by the
public SDKs (e.g. fudiwei/DotNetCore.SKIT.FlurlHttpClient.ByteDance, TikTokGlobalShop):
1. take the query parameters except ``sign`` and ``access_token``, sorted by name;
2. concatenate them as ``{key}{value}`` and put the request path in front;
3. append the request body as sent (JSON), unless the body is multipart;
4. wrap the string with the app secret at both ends;
5. HMAC-SHA256 it with the app secret as key; the hex digest is ``sign``.
The access token travels in the ``x-tts-access-token`` header, never in the signed string.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping

UNSIGNED_PARAMS = frozenset({"sign", "access_token"})


def string_to_sign(app_secret: str, path: str, params: Mapping[str, object],
                   body: bytes | str = b"") -> str:
    """The wrapped string of steps 1-4 (exposed so tests can check each step)."""
    pairs = "".join(f"{key}{params[key]}" for key in sorted(params)
                    if key not in UNSIGNED_PARAMS)
    text_body = body.decode("utf-8") if isinstance(body, bytes) else body
    return f"{app_secret}{path}{pairs}{text_body}{app_secret}"


def sign(app_secret: str, path: str, params: Mapping[str, object],
         body: bytes | str = b"") -> str:
    """The ``sign`` query parameter of a request: lower-case hex HMAC-SHA256."""
    message = string_to_sign(app_secret, path, params, body)
    return hmac.new(app_secret.encode("utf-8"), message.encode("utf-8"),
                    hashlib.sha256).hexdigest()
