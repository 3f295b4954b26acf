"""The production entry point: granian's RSGI interface in front of Django's WSGI app.

A WSGI server hands a request to a thread as soon as its headers are in, and the thread
then waits for the body. Sixty slow clients sending a byte every few seconds would hold
every thread and stall the whole site. Here each web process's event loop receives the
whole body first, costing no thread while it waits:

- a body declared larger than the path allows (clamour/core/requestsize.py) is refused
  with a 413 before any of it is read, and one that turns out larger while arriving too;
- a body must arrive within REQUEST_BODY_TIMEOUT seconds, else 408;
- one address may be sending at most BODIES_PER_ADDRESS bodies to a process at once;
  past that, 429 at once (the address as clamour.core.http.client_ip sees it);

and only then is the request, body in hand, run by Django on one of WEB_THREADS threads.
"""

import asyncio
import io
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor

from django.conf import settings

from clamour.core.http import address_of
from clamour.core.requestsize import limit_for, too_large, wants_json
from clamour.wsgi import application  # noqa: I001  (sets Django up first)

# Bodies up to this size stay in memory; larger ones (staff uploads) spill to a file.
SPOOL_BYTES = 1024 * 1024

_BASE_ENVIRON = {
    "SCRIPT_NAME": "",
    "SERVER_SOFTWARE": "Clamour (granian RSGI)",
    "wsgi.errors": sys.stderr,
    "wsgi.version": (1, 0),
    "wsgi.multithread": True,
    "wsgi.multiprocess": True,
    "wsgi.run_once": False,
    "wsgi.input_terminated": True,
}


class _BodyRefused(Exception):
    def __init__(self, status, headers, body):
        super().__init__(status)
        self.answer = (status, headers, body)


def _plain(status: int, text: str, **extra: str):
    headers = [("content-type", "text/plain; charset=utf-8"), ("cache-control", "no-store"),
               ("connection", "close")]
    headers += [(name.replace("_", "-"), value) for name, value in extra.items()]
    return status, headers, text.encode()


class _StartResponse:
    __slots__ = ("status", "headers")

    def __call__(self, status, headers, exc_info=None):
        self.status = int(status.split(" ", 1)[0])
        self.headers = headers


class Gateway:
    def __init__(self, wsgi_app):
        self.wsgi_app = wsgi_app
        self.pool = None
        self.loop = None
        self.receiving = {}  # address → bodies being received from it now

    def __rsgi_init__(self, loop):
        self.loop = loop
        self.pool = ThreadPoolExecutor(settings.WEB_THREADS, thread_name_prefix="web")

    def __rsgi_del__(self, loop):
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=False)

    async def __rsgi__(self, scope, protocol):
        if scope.proto != "http":
            return
        if self.loop is None:
            self.__rsgi_init__(asyncio.get_running_loop())
        try:
            environ = await self._receive(scope, protocol)
        except _BodyRefused as refused:
            protocol.response_bytes(*refused.answer)
            return
        status, headers, first, rest = await self.loop.run_in_executor(
            self.pool, self._run, environ)
        if rest is None:
            protocol.response_bytes(status, headers, first)
            return
        transport = protocol.response_stream(status, headers)
        await transport.send_bytes(first)
        await self.loop.run_in_executor(self.pool, self._pump, transport, rest)

    async def _receive(self, scope, protocol) -> dict:
        """The WSGI environ of this request, its body received in full."""
        headers = scope.headers
        path = scope.path
        declared = headers.get("content-length")
        chunked = "chunked" in (headers.get("transfer-encoding") or "").lower()
        limit = limit_for(path)
        length = 0
        if declared is not None:
            try:
                length = int(declared)
            except ValueError:
                raise _BodyRefused(*_plain(400, "Bad Content-Length.")) from None
            if length < 0:
                raise _BodyRefused(*_plain(400, "Bad Content-Length."))
        if length > limit:
            raise _BodyRefused(*too_large(path, limit, wants_json(
                path, headers.get("accept") or "", headers.get("content-type") or "")))
        peer, _, _ = scope.client.rpartition(":")
        peer = peer.strip("[]")
        received = (b"", 0)
        if length or chunked:
            address = address_of(peer, headers.get("x-forwarded-for") or "")
            if self.receiving.get(address, 0) >= settings.BODIES_PER_ADDRESS:
                raise _BodyRefused(*_plain(
                    429, "Too many requests from your address at once. Nothing was recorded: "
                    "please try again in a few seconds.",
                    retry_after=str(settings.RETRY_AFTER_SECONDS)))
            self.receiving[address] = self.receiving.get(address, 0) + 1
            try:
                received = await asyncio.wait_for(
                    self._read(protocol, path, headers, limit), settings.REQUEST_BODY_TIMEOUT)
            except TimeoutError:
                raise _BodyRefused(*_plain(
                    408, "The request body did not arrive in time. Nothing was recorded.")) from None
            finally:
                left = self.receiving[address] - 1
                if left:
                    self.receiving[address] = left
                else:
                    del self.receiving[address]
        return self._environ(scope, peer, *received)

    @staticmethod
    async def _read(protocol, path, headers, limit):
        size = 0
        chunks = []
        spool = None
        async for chunk in protocol:
            size += len(chunk)
            if size > limit:
                raise _BodyRefused(*too_large(path, limit, wants_json(
                    path, headers.get("accept") or "", headers.get("content-type") or "")))
            if spool is None and size > SPOOL_BYTES:
                spool = tempfile.TemporaryFile()
                spool.writelines(chunks)
                chunks = None
            if spool is not None:
                spool.write(chunk)
            else:
                chunks.append(chunk)
        if spool is not None:
            spool.seek(0)
            return spool, size
        return b"".join(chunks), size

    @staticmethod
    def _environ(scope, peer, body, size) -> dict:
        server_name, _, server_port = scope.server.rpartition(":")
        environ = dict(_BASE_ENVIRON)
        environ.update({
            "REQUEST_METHOD": scope.method,
            # PEP 3333: the decoded path's bytes, as latin-1.
            "PATH_INFO": scope.path.encode("utf-8", "surrogateescape").decode("latin-1"),
            "QUERY_STRING": scope.query_string,
            "SERVER_NAME": server_name.strip("[]"),
            "SERVER_PORT": server_port,
            "SERVER_PROTOCOL": f"HTTP/{scope.http_version}",
            "REMOTE_ADDR": peer,
            "wsgi.url_scheme": scope.scheme,
            "wsgi.input": body if hasattr(body, "read") else io.BytesIO(body),
            "CONTENT_LENGTH": str(size) if size else "",
        })
        for name, value in scope.headers.items():
            if name == "content-type":
                environ["CONTENT_TYPE"] = value
                continue
            if name in ("content-length", "transfer-encoding"):
                continue
            key = "HTTP_" + name.upper().replace("-", "_")
            if key in environ:
                value = environ[key] + ("; " if key == "HTTP_COOKIE" else ",") + value
            environ[key] = value
        return environ

    def _run(self, environ):
        """Run Django on this thread. Returns (status, headers, first bytes, rest): rest
        is None when the first bytes are the whole body, else the rest of a stream."""
        start = _StartResponse()
        try:
            result = self.wsgi_app(environ, start)
            if isinstance(result, list | tuple):
                return start.status, start.headers, b"".join(result), None
            streaming = False
            try:
                chunks = iter(result)
                first = next(chunks, b"")
                second = next(chunks, None)
                if second is None:
                    return start.status, start.headers, first, None
                streaming = True
                return start.status, start.headers, first, _Rest(second, chunks, result)
            finally:
                if not streaming and hasattr(result, "close"):
                    result.close()
        finally:
            environ["wsgi.input"].close()

    def _pump(self, transport, rest):
        """Send a streamed response's remaining chunks (on a thread: Django's iterator
        may read files or the database)."""
        try:
            for chunk in rest:
                if chunk:
                    asyncio.run_coroutine_threadsafe(_send(transport, chunk), self.loop).result()
        finally:
            rest.close()


async def _send(transport, chunk):
    await transport.send_bytes(chunk)


class _Rest:
    """The remaining chunks of a streamed response, and how to close it."""

    def __init__(self, second, chunks, result):
        self.second, self.chunks, self.result = second, chunks, result

    def __iter__(self):
        yield self.second
        yield from self.chunks

    def close(self):
        close = getattr(self.result, "close", None)
        if close is not None:
            close()


app = Gateway(application)
