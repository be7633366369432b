"""A local fake of the TikTok Shop Open API for the connector's tests (never a real one).

Serves order search, affiliate order search and inventory search shaped like the public
API examples, checks every request's signature and access token, paginates with
``next_page_token``, and can be told to fail the next requests (``fail_next``: 429 with
Retry-After, 500, 503) or to treat the token as expired. For the connector's limits it can
also turn hostile: drip its answers a byte at a time, redirect to another host, ignore the
page size, or never stop paginating.
"""

from __future__ import annotations

import base64
import json
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from campaign_core.openapi.signing import sign

APP_KEY, APP_SECRET, TOKEN, CIPHER = "test-app", "test-secret", "good-token", "ROW_cipher"


def api_order(order_id: str, update_time: int, paid_time: int | None, units: list[tuple],
              status: str = "AWAITING_SHIPMENT", user_id: str = "7021436810468230477",
              is_sample: bool = False) -> dict:
    """An order as the API returns it; ``units`` is one (sku_id, product_id, original
    price, seller discount, platform discount) tuple per UNIT (the API's line items)."""
    items = [{"id": f"{order_id}{n:03d}", "sku_id": sku, "product_id": product,
              "product_name": f"Product {product[-3:]}", "seller_sku": f"SKU-{sku[-3:]}",
              "sku_name": "Default", "original_price": f"{price:.2f}",
              "sale_price": f"{price - seller - platform:.2f}",
              "seller_discount": f"{seller:.2f}", "platform_discount": f"{platform:.2f}",
              "display_status": status, "currency": "USD", "is_gift": False}
             for n, (sku, product, price, seller, platform) in enumerate(units)]
    subtotal = sum(u[2] - u[3] - u[4] for u in units)
    return {
        "id": order_id, "status": status, "create_time": (paid_time or update_time) - 60,
        "paid_time": paid_time, "update_time": update_time, "user_id": user_id,
        "buyer_message": "leave at the door", "buyer_email": "x@chat.seller.tiktok.com",
        "recipient_address": {"name": "Jane Doe", "phone_number": "(+1)213-***-1234",
                              "full_address": "1 Main St"},
        "payment": {"currency": "USD", "sub_total": f"{subtotal:.2f}",
                    "shipping_fee": "4.99", "original_shipping_fee": "5.99",
                    "shipping_fee_seller_discount": "0", "shipping_fee_platform_discount": "1.00",
                    "tax": "0.80", "total_amount": f"{subtotal + 4.99 + 0.8:.2f}",
                    "retail_delivery_fee": "0"},
        "line_items": items, "is_sample_order": is_sample,
        "fulfillment_type": "FULFILLMENT_BY_SELLER",
    }


class FakeTikTokApi:
    """Start with ``start()``; ``base_url`` for the credentials; ``stop()`` at the end."""

    def __init__(self) -> None:
        self.orders: list[dict] = []
        self.affiliate_orders: list[dict] = []
        self.inventory: dict[str, list[dict]] = {}  # product_id -> skus
        self.requests: list[dict] = []  # path, query, body, status of every request
        self.fail_next: list[int] = []  # HTTP statuses to answer the next requests with
        self.expired = False
        self.retry_after = "0"  # the Retry-After header of the 429s in fail_next
        # Hostile modes, for the connector's limits:
        self.drip_delay_s = 0.0  # > 0: the body goes out one byte at a time, this far apart
        self.redirect_to = ""  # a URL: every request is answered 302 to it
        self.ignore_page_size = False  # a page holds every matching order
        self.endless_pages = False  # every page names a next one, a new token each time
        self._sorted: tuple[tuple, list[dict]] = ((), [])
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def credentials(self, token: str = TOKEN) -> dict:
        return {"app_key": APP_KEY, "app_secret": APP_SECRET, "access_token": token,
                "shop_cipher": CIPHER, "base_url": self.base_url}

    def start(self) -> FakeTikTokApi:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def answer(self, path: str, query: dict, raw_body: bytes,
               token: str) -> tuple[int, dict, dict]:
        """(HTTP status, JSON answer, headers) for one request."""
        if self.fail_next:
            status = self.fail_next.pop(0)
            headers = {"Retry-After": self.retry_after} if status == 429 else {}
            return status, {"code": 36009003 if status == 429 else 1, "message": "busy"}, headers
        expected = sign(APP_SECRET, path, query, raw_body)  # over the body as sent
        if query.get("sign") != expected or query.get("app_key") != APP_KEY:
            return 200, {"code": 106001, "message": "Invalid sign"}, {}
        if self.expired or token != TOKEN:
            return 401, {"code": 105002, "message": "Expired credentials"}, {}
        body = json.loads(raw_body) if raw_body else {}
        if query.get("shop_cipher") != CIPHER:
            return 200, {"code": 106011, "message": "Invalid shop_cipher"}, {}
        if path == "/order/202309/orders/search":
            return 200, self._page(self.orders, query, body), {}
        if path == "/affiliate_seller/202509/orders/search":
            return 200, self._page(self.affiliate_orders, query, body), {}
        if path == "/product/202309/inventory/search":
            wanted = body.get("product_ids") or []
            inventory = [{"product_id": p, "skus": self.inventory[p]} for p in wanted
                         if p in self.inventory]
            return 200, {"code": 0, "message": "Success", "data": {"inventory": inventory}}, {}
        return 404, {"code": 404, "message": "no such path"}, {}

    def _page(self, items: list[dict], query: dict, body: dict) -> dict:
        low, high = body.get("update_time_ge", 0), body.get("update_time_lt", 2**62)
        # One sort per search, not per page: the fake must not be what a benchmark measures.
        key = (id(items), len(items), low, high)
        if self._sorted[0] != key:
            self._sorted = (key, sorted((o for o in items if low <= o["update_time"] < high),
                                        key=lambda o: (o["update_time"], o["id"])))
        chosen = self._sorted[1]
        size = len(chosen) if self.ignore_page_size else int(query.get("page_size", 20))
        token = query.get("page_token")
        offset = int(base64.b64decode(token)) if token else 0
        page = chosen[offset:offset + size]
        following = offset + size
        next_token = base64.b64encode(str(following).encode()).decode() \
            if following < len(chosen) or self.endless_pages else ""
        return {"code": 0, "message": "Success", "request_id": "fake",
                "data": {"orders": page, "next_page_token": next_token,
                         "total_count": len(chosen)}}

    def _handler(self):
        api = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
                url = urllib.parse.urlsplit(self.path)
                query = dict(urllib.parse.parse_qsl(url.query))
                length = int(self.headers.get("content-length") or 0)
                raw = self.rfile.read(length) if length else b""
                if api.redirect_to:
                    api.requests.append({"path": url.path, "status": 302})
                    self.send_response(302)
                    self.send_header("location", api.redirect_to)
                    self.send_header("content-length", "0")
                    self.end_headers()
                    return
                status, answer, headers = api.answer(
                    url.path, query, raw, self.headers.get("x-tts-access-token", ""))
                api.requests.append({"path": url.path, "query": query,
                                     "body": json.loads(raw) if raw else {},
                                     "status": status, "code": answer.get("code")})
                data = json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("content-type", "application/json")
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("content-length", str(len(data)))
                self.end_headers()
                if not api.drip_delay_s:
                    self.wfile.write(data)
                    return
                try:
                    for byte in data:
                        self.wfile.write(bytes([byte]))
                        self.wfile.flush()
                        time.sleep(api.drip_delay_s)
                except OSError:  # the client hung up: what the limits are for
                    pass

            def log_message(self, *args) -> None:  # keep the test output clean
                pass

        return Handler


class HeaderRecorder:
    """Another host: records the headers of every request it gets (a redirect's target)."""

    def __init__(self) -> None:
        self.headers: list[dict[str, str]] = []
        recorder = self

        class Handler(BaseHTTPRequestHandler):
            def _record(self) -> None:
                recorder.headers.append({k.lower(): v for k, v in self.headers.items()})
                self.send_response(200)
                self.send_header("content-length", "2")
                self.end_headers()
                self.wfile.write(b"{}")

            do_GET = do_POST = _record  # noqa: N815 (http.server's naming)

            def log_message(self, *args) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}/collect"

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
