"""The ``openai`` analyst: any OpenAI-compatible chat endpoint, through httpx.

Ollama, llama.cpp's server, vLLM, LM Studio and the cloud APIs all answer
``POST {base_url}/chat/completions``. This module is only the transport: the prompts, the
verification of every statement, the cache and the token budget are the analysis's
(:mod:`watchfloor.analyze.writer`), the same for every writing backend.

* **Material stays where the analyst says.** The endpoint's host must be loopback or in a
  private range (10/8, 172.16/12, 192.168/16, fc00::/7, link-local) unless
  ``[backends.openai] allow_remote = true``; otherwise every request is refused before it is
  sent. This is not the collector: its private-address guard does not apply here.
* **The key** is read from the variable named by ``api_key_env`` at each request and sent
  only as the ``Authorization`` header; it is never stored, logged or printed (an error
  message that quotes the server is scrubbed of it).
* **Structured output:** a request with a schema asks for ``response_format`` of type
  ``json_schema`` (OpenAI, vLLM, Ollama); a server that rejects it (HTTP 400, 422 or 500
  naming ``response_format``) is asked with ``{"type": "json_object", "schema": ...}``
  (llama-cpp-python's server), then without any; the form that worked is kept for the rest
  of the run. The answer is validated by the caller either way.
* **Retries:** a refused connection, a timeout, HTTP 429 and 5xx are retried ``retries``
  times, waiting ``backoff`` × 2^n seconds; ``concurrency`` requests run at once at most.
"""

from __future__ import annotations

import ipaddress
import logging
import os
import socket
import threading
import time
from typing import Any, ClassVar
from urllib.parse import urlsplit

import httpx

from watchfloor.backends.base import Backend, ChatReply, ChatRequest
from watchfloor.backends.hookspecs import hookimpl
from watchfloor.config import BackendsSettings, OpenAISettings
from watchfloor.errors import BackendError, BackendUnavailableError

__all__ = ["OpenAIBackend", "is_local_host", "register_llm_backends"]

log = logging.getLogger(__name__)

_RETRY_STATUS = frozenset({408, 409, 425, 429, 500, 502, 503, 504})


def _local_address(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_loopback or ip.is_private or ip.is_link_local


def is_local_host(host: str) -> bool:
    """True when *host* (a name or an address) is loopback or in a private range.

    A name counts as local when every address it resolves to is; a name that does not
    resolve is not local.
    """
    host = host.strip("[]")
    if not host:
        return False
    try:
        return _local_address(host)
    except ValueError:
        pass
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        infos = socket.getaddrinfo(host, None)
    except OSError:
        return False
    addresses = {str(info[4][0]) for info in infos}
    return bool(addresses) and all(_local_address(a) for a in addresses)


class OpenAIBackend(Backend):
    """Write prose with any OpenAI-compatible chat model (``[backends.openai]``)."""

    backend_id: ClassVar[str] = "openai"
    version: ClassVar[str] = "openai-1"
    description: ClassVar[str] = (
        "any OpenAI-compatible chat endpoint (Ollama, llama.cpp, vLLM, cloud)"
    )
    writes: ClassVar[bool] = True

    def __init__(self, settings: OpenAISettings | None = None) -> None:
        self.settings = settings or OpenAISettings()
        self._limit = threading.Semaphore(self.settings.concurrency)
        #: How a schema is asked for: the OpenAI form, then the ``json_object`` form with a
        #: ``schema`` (llama-cpp-python, Anyscale), then not at all.
        self._modes = (
            ["json_schema", "json_object", "none"] if self.settings.json_schema else ["none"]
        )
        self._lock = threading.Lock()

    # --- the contract -------------------------------------------------------------------

    def configure(self, settings: BackendsSettings) -> OpenAIBackend:
        return OpenAIBackend(settings.openai)

    @property
    def url(self) -> str:
        return self.settings.base_url.rstrip("/")

    @property
    def host(self) -> str:
        return urlsplit(self.url).hostname or ""

    def settings_view(self) -> dict[str, str]:
        s = self.settings
        key_set = bool(os.environ.get(s.api_key_env, "").strip())
        return {
            "base_url": s.base_url,
            "model": s.model,
            "api_key_env": f"{s.api_key_env} ({'set' if key_set else 'not set'})",
            "allow_remote": str(s.allow_remote).lower(),
            "timeouts": f"connect {s.connect_timeout:g} s, read {s.read_timeout:g} s",
            "retries": f"{s.retries} (backoff {s.backoff:g} s, doubling)",
            "concurrency": str(s.concurrency),
            "context_tokens": str(s.context_tokens),
            "token_budget": str(s.token_budget),
            "temperature": f"{s.temperature:g}",
            "seed": str(s.seed),
        }

    def fixed(self) -> dict[str, str]:
        return {
            "model": self.settings.model,
            "temperature": f"{self.settings.temperature:g}",
            "seed": str(self.settings.seed),
            "endpoint": self.host,
        }

    def check(self) -> str:
        self._guard()
        try:
            with self._client() as client:
                response = client.get(f"{self.url}/models", headers=self._headers())
        except httpx.HTTPError as exc:
            raise BackendUnavailableError(
                f"cannot reach the model endpoint at {self.url}: {self._scrub(str(exc))}"
            ) from exc
        if response.status_code >= 400:
            raise BackendUnavailableError(
                f"the model endpoint at {self.url} answered HTTP {response.status_code} "
                f"to GET /models: {self._scrub(response.text[:200])}"
            )
        try:
            names = [str(m.get("id")) for m in response.json().get("data", [])]
        except (ValueError, AttributeError):
            names = []
        listed = ", ".join(names[:5]) or "none listed"
        return f"reachable at {self.url}; models: {listed}"

    def chat(self, request: ChatRequest) -> ChatReply:
        self._guard()
        body: dict[str, Any] = {
            "model": self.settings.model,
            "messages": [
                {"role": "system", "content": request.system},
                {"role": "user", "content": request.user},
            ],
            "max_tokens": request.max_tokens,
            "temperature": request.temperature,
            "stream": False,
        }
        if request.seed is not None:
            body["seed"] = request.seed
        with self._limit:
            while True:
                mode = self._modes[0] if request.schema is not None else "none"
                body.pop("response_format", None)
                if mode == "json_schema":
                    body["response_format"] = {
                        "type": "json_schema",
                        "json_schema": {
                            "name": request.schema_name,
                            "schema": request.schema,
                            "strict": True,
                        },
                    }
                elif mode == "json_object":
                    body["response_format"] = {"type": "json_object", "schema": request.schema}
                response = self._post(body)
                # llama-cpp-python's server reports the refusal as HTTP 500.
                refused = response.status_code in (400, 422, 500) and (
                    "response_format" in response.text or "json_schema" in response.text
                )
                if mode == "none" or not refused:
                    break
                with self._lock:
                    if self._modes[0] == mode and len(self._modes) > 1:
                        self._modes.pop(0)
                log.info("%s refused response_format %s; asking another way", self.url, mode)
        if response.status_code >= 400:
            raise BackendError(
                f"the model endpoint at {self.url} answered HTTP {response.status_code}: "
                f"{self._scrub(response.text[:300])}"
            )
        try:
            data = response.json()
            text = str(data["choices"][0]["message"].get("content") or "")
        except (ValueError, KeyError, IndexError, TypeError, AttributeError) as exc:
            raise BackendError(
                f"the model endpoint at {self.url} sent an answer that is not a chat "
                f"completion: {self._scrub(response.text[:200])}"
            ) from exc
        usage = data.get("usage") or {}
        tokens_in = int(
            usage.get("prompt_tokens") or (len(request.system) + len(request.user)) // 4
        )
        tokens_out = int(usage.get("completion_tokens") or len(text) // 4)
        return ChatReply(text, tokens_in, tokens_out, str(data.get("model") or self.settings.model))

    # --- transport ----------------------------------------------------------------------

    def _guard(self) -> None:
        parts = urlsplit(self.url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise BackendError(
                f"[backends.openai] base_url {self.settings.base_url!r} is not an http(s) URL"
            )
        if not self.settings.allow_remote and not is_local_host(parts.hostname):
            raise BackendError(
                f"the model endpoint {self.url} is not on this machine or a private network: "
                "the report's material would leave the building. Set "
                "[backends.openai] allow_remote = true to allow it"
            )

    def _headers(self) -> dict[str, str]:
        key = os.environ.get(self.settings.api_key_env, "").strip()
        return {"Authorization": f"Bearer {key}"} if key else {}

    def _scrub(self, text: str) -> str:
        key = os.environ.get(self.settings.api_key_env, "").strip()
        return text.replace(key, "***") if key else text

    def _client(self) -> httpx.Client:
        s = self.settings
        timeout = httpx.Timeout(s.read_timeout, connect=s.connect_timeout)
        # trust_env=False: a proxy from the environment must not carry the material away.
        return httpx.Client(timeout=timeout, trust_env=False, follow_redirects=False)

    def _post(self, body: dict[str, Any]) -> httpx.Response:
        url = f"{self.url}/chat/completions"
        attempts = self.settings.retries + 1
        last: Exception | None = None
        with self._client() as client:
            for attempt in range(attempts):
                if attempt:
                    time.sleep(self.settings.backoff * 2 ** (attempt - 1))
                try:
                    response = client.post(url, json=body, headers=self._headers())
                except httpx.HTTPError as exc:
                    last = exc
                    continue
                refusal = "response_format" in response.text  # asked another way, not again
                if response.status_code in _RETRY_STATUS and attempt + 1 < attempts and not refusal:
                    continue
                return response
        raise BackendUnavailableError(
            f"cannot reach the model endpoint at {self.url} after {attempts} attempts: "
            f"{self._scrub(str(last))}"
        )


@hookimpl
def register_llm_backends(register: object) -> None:
    """Register the OpenAI-compatible analyst (unconfigured: the analysis configures it)."""
    register(OpenAIBackend())  # type: ignore[operator]
