"""A scripted OpenAI-compatible endpoint on 127.0.0.1 for the transport and writer tests.

It is a real HTTP server (no mock of watchfloor's code) whose "model" is a rule written
here: for a statements task it copies the first evidence items (citing them) and adds one
statement with a figure the evidence does not give, so the verifier has something to catch;
for a translation it returns a fixed English text for each id it is given. It records
every request it gets.
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

Answer = Callable[[dict[str, Any]], tuple[int, dict[str, Any] | str]]


def copying_model(body: dict[str, Any]) -> tuple[int, dict[str, Any] | str]:
    """Statements copied from the evidence, plus one with a made-up number."""
    user = body["messages"][-1]["content"]
    if "translate" in user:
        texts = json.loads(user[user.index("\n[") :]) if "\n[" in user else [{"id": "T1"}]
        content = json.dumps(
            {"translations": [{"id": t["id"], "text": "Translated text"} for t in texts]}
        )
    else:
        evidence = json.loads(user[user.index("\n[") :])  # the line after EVIDENCE
        statements = [{"text": e["text"], "cites": [e["id"]]} for e in evidence[:2]]
        statements.append(
            {"text": "Officials said 987654 people were affected.", "cites": [evidence[0]["id"]]}
        )
        content = json.dumps({"statements": statements})
    words = len(re.findall(r"\w+", user))
    return 200, {
        "id": "x",
        "object": "chat.completion",
        "model": body.get("model", "scripted"),
        "choices": [{"index": 0, "message": {"role": "assistant", "content": content}}],
        "usage": {"prompt_tokens": words, "completion_tokens": len(content) // 4},
    }


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def log_message(self, *args: Any) -> None:
        pass

    def _send(self, status: int, payload: dict[str, Any] | str) -> None:
        data = payload.encode() if isinstance(payload, str) else json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self) -> None:
        self.server.requests.append(("GET", self.path, {}, dict(self.headers)))
        self._send(200, {"object": "list", "data": [{"id": "scripted"}]})

    def do_POST(self) -> None:
        length = int(self.headers.get("content-length", 0))
        body = json.loads(self.rfile.read(length))
        self.server.requests.append(("POST", self.path, body, dict(self.headers)))
        status, payload = self.server.answer(body)
        self._send(status, payload)


class _Server(ThreadingHTTPServer):
    requests: list[tuple[str, str, dict[str, Any], dict[str, str]]]
    answer: Answer


@contextmanager
def model_server(answer: Answer = copying_model) -> Iterator[_Server]:
    """Serve *answer* at http://127.0.0.1:PORT/v1 (``server.url``) until the block ends."""
    server = _Server(("127.0.0.1", 0), _Handler)
    server.requests = []
    server.answer = answer
    server.url = f"http://127.0.0.1:{server.server_address[1]}/v1"  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
