"""The HTTP engine under python-telegram-bot's Bot: aiohttp instead of PTB's default httpx.

Why: every step sends one message, so the cost of one Bot API call is a large part of a step.
Measured on loopback (3,000 sequential sendMessage-sized POSTs, client and server in one
process): 0.46 ms of CPU per call through httpx, 0.12 ms through aiohttp. aiohttp is already
ours (the webhook and the console serve with it). PTB keeps doing everything above the wire
(parameters, JSON, errors such as RetryAfter and Forbidden); this class only moves bytes, the
same way PTB's HTTPXRequest does: form-encoded parameters, multipart when there are files.

Errors keep PTB's meaning, which the delivery's retries depend on: a timeout is `TimedOut`,
anything else on the wire is `NetworkError` (both retried); an HTTP answer, whatever its
status, is returned to PTB, which turns 4xx/5xx into its own errors.
"""

from __future__ import annotations

import ssl
from typing import Any

import aiohttp
from telegram._utils.defaultvalue import DefaultValue  # PTB's "use the default" marker
from telegram._utils.types import UploadFileDict
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData

try:  # the CA bundle httpx used (PTB installs certifi with it), so behaviour does not change
    import certifi

    _CA_FILE: str | None = certifi.where()
except ImportError:  # pragma: no cover - the system's CAs then
    _CA_FILE = None


def _seconds(given: Any, default: float | None) -> float | None:
    """A timeout PTB passed, or ours when PTB passed its "use the default" marker."""
    return default if isinstance(given, DefaultValue) else given


class AiohttpRequest(BaseRequest):
    """A pool of keep-alive connections to the Bot API, with PTB's timeouts."""

    def __init__(
        self,
        *,
        connection_pool_size: int = 256,
        connect_timeout: float | None = 5.0,
        read_timeout: float | None = 5.0,
        write_timeout: float | None = 5.0,
        pool_timeout: float | None = 1.0,
        media_write_timeout: float | None = 20.0,
    ) -> None:
        self._pool_size = connection_pool_size
        self._connect_timeout = connect_timeout
        self._read_timeout = read_timeout
        self._write_timeout = write_timeout
        self._pool_timeout = pool_timeout
        self._media_write_timeout = media_write_timeout
        self._session: aiohttp.ClientSession | None = None

    @property
    def read_timeout(self) -> float | None:
        return self._read_timeout

    async def initialize(self) -> None:
        if self._session is None or self._session.closed:
            context = ssl.create_default_context(cafile=_CA_FILE)
            connector = aiohttp.TCPConnector(limit=self._pool_size, ssl=context)
            # No cookies (the Bot API sets none), no automatic redirects (it answers directly).
            self._session = aiohttp.ClientSession(
                connector=connector, cookie_jar=aiohttp.DummyCookieJar()
            )

    async def shutdown(self) -> None:
        if self._session is not None and not self._session.closed:
            await self._session.close()
        self._session = None

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Any = BaseRequest.DEFAULT_NONE,
        write_timeout: Any = BaseRequest.DEFAULT_NONE,
        connect_timeout: Any = BaseRequest.DEFAULT_NONE,
        pool_timeout: Any = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        if self._session is None or self._session.closed:
            raise RuntimeError("AiohttpRequest is not initialized: call initialize() first")
        files = request_data.multipart_data if request_data else None
        fields = request_data.json_parameters if request_data else None
        body: Any = _multipart(fields or {}, files) if files else fields
        timeout = self._timeout(
            _seconds(read_timeout, self._read_timeout),
            _seconds(write_timeout, self._media_write_timeout if files else self._write_timeout),
            _seconds(connect_timeout, self._connect_timeout),
            _seconds(pool_timeout, self._pool_timeout),
        )
        try:
            async with self._session.request(
                method,
                url,
                data=body,
                headers={"User-Agent": self.USER_AGENT},
                timeout=timeout,
                allow_redirects=False,
            ) as response:
                return response.status, await response.read()
        except (TimeoutError, aiohttp.ServerTimeoutError) as exc:
            raise TimedOut(f"aiohttp.{type(exc).__name__}") from exc
        except aiohttp.ClientError as exc:
            # The class name helps when the message is empty (a dropped connection). Some
            # errors quote the URL, which holds the bot token: it never reaches a log.
            said = str(exc).replace(url, "<Bot API URL>")
            raise NetworkError(f"aiohttp.{type(exc).__name__}: {said}") from exc

    @staticmethod
    def _timeout(
        read: float | None, write: float | None, connect: float | None, pool: float | None
    ) -> aiohttp.ClientTimeout:
        """PTB's four timeouts in aiohttp's terms. aiohttp has no write timeout of its own, so
        the whole call is bounded by the sum; `connect` covers waiting for a pooled
        connection as well as opening one, `sock_connect` only the opening."""
        parts = (read, write, connect, pool)
        total = None if any(p is None for p in parts) else sum(p for p in parts if p is not None)
        waiting = None if connect is None or pool is None else connect + pool
        return aiohttp.ClientTimeout(
            total=total, connect=waiting, sock_connect=connect, sock_read=read
        )


def _multipart(fields: dict[str, str], files: UploadFileDict) -> aiohttp.FormData:
    """Parameters and files as multipart/form-data, as Telegram expects uploads."""
    form = aiohttp.FormData()
    for name, value in fields.items():
        form.add_field(name, value)
    for name, (filename, content, mimetype) in files.items():
        form.add_field(name, content, filename=filename, content_type=mimetype)
    return form
