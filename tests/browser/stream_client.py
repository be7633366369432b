"""A raw websocket client of Streamlit's ``/_stcore/stream``, as a probe would write one:
a self-issued XSRF token, no browser, no sign-in."""

from __future__ import annotations

import secrets
import urllib.error
import urllib.request

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ClientState_pb2 import ClientState
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.web.server.starlette.starlette_app_utils import generate_xsrf_token_string
from websockets.sync.client import connect

XSRF_COOKIE = "_streamlit_xsrf"


class StreamClient:
    """One websocket session; ``run()`` runs the app once and learns the session id."""

    def __init__(self, url: str, resume_session: str | None = None) -> None:
        self.url = url
        self.token = generate_xsrf_token_string()
        self.cookie = f"{XSRF_COOKIE}={self.token}"
        self.session_id = ""
        self.texts: list[str] = []
        self._connection = connect(
            url.replace("http://", "ws://") + "/_stcore/stream",
            subprotocols=["streamlit", self.token, *([resume_session] if resume_session
                                                     else [])],
            additional_headers={"Cookie": self.cookie, "Origin": url},
            max_size=None, open_timeout=30)

    def __enter__(self) -> StreamClient:
        self._socket = self._connection.__enter__()
        return self

    def __exit__(self, *exc) -> None:
        self._connection.__exit__(*exc)

    def send(self, message: BackMsg) -> None:
        self._socket.send(message.SerializeToString())

    def run(self, timeout: float = 60) -> None:
        """Ask for a run of the app and read until it has finished."""
        self.send(BackMsg(rerun_script=ClientState(query_string="", page_script_hash="")))
        while True:
            message = ForwardMsg()
            message.ParseFromString(self._socket.recv(timeout=timeout))
            kind = message.WhichOneof("type")
            if kind == "new_session":
                self.session_id = message.new_session.initialize.session_id
            elif kind == "delta":
                self.texts.append(str(message.delta))
            elif kind == "script_finished":
                return

    def clear_cache(self) -> None:
        self.send(BackMsg(clear_cache=True))

    def upload(self, data: bytes, name: str = "export.csv") -> int:
        """PUT a file to this session's upload URL; the HTTP status."""
        boundary = secrets.token_hex(8)
        body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; "
                f"filename=\"{name}\"\r\nContent-Type: text/csv\r\n\r\n").encode() + data \
            + f"\r\n--{boundary}--\r\n".encode()
        request = urllib.request.Request(
            f"{self.url}/_stcore/upload_file/{self.session_id}/{secrets.token_hex(8)}",
            data=body, method="PUT",
            headers={"Content-Type": f"multipart/form-data; boundary={boundary}",
                     "X-Xsrftoken": self.token, "Cookie": self.cookie, "Origin": self.url})
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                return response.status
        except urllib.error.HTTPError as error:
            return error.code
