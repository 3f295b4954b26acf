"""A lean HTTP/1.1 load generator: asyncio streams, keep-alive, closed loop.

Two modes, each bounded in time *and* request count:

* ``get``: C clients GET one URL in a loop (the "trivial GET req/s" yardstick).
* ``spike``: C simulated supporters each GET the form once (cookie + hidden CSRF
  token, like a browser tab), then POST unique letter submissions (unique email,
  unique X-Forwarded-For) on the same keep-alive connection. ``--get-each`` makes
  every submission load the form first.

Library use::

    from bench.loadgen import run_get, run_spike, FormSpec
    res = run_spike("http://127.0.0.1:8000/letter/", concurrency=64, seconds=10)
    res.accepted_emails  # acknowledged (303) submissions, to check against the DB

CLI: ``python bench/loadgen.py spike http://127.0.0.1:8000/letter/ -c 64 -s 10``.
Targets are restricted to loopback.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import re
import resource
import sys
import time
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlencode, urlsplit

LOOPBACK = {"127.0.0.1", "localhost", "::1"}

WORDS = (
    "we urge you to act now and support a strong treaty that stops transfers of arms to "
    "governments that commit grave violations of human rights against their own people "
    "civilians pay the price for every shipment that should never have left the port"
).split()


def letter_body(n: int, words: int = 300) -> str:
    return " ".join(WORDS[(n + i * 7) % len(WORDS)] for i in range(words))


_BODY = letter_body(0)


def calibration_fields(n: int, run_id: str) -> dict[str, str]:
    """The letter submission of supporter ``n`` (calibration app field names)."""
    return {
        "name": f"Supporter {n}",
        "email": f"s{n}.{run_id}@example.org",
        "country": ("FR", "GB", "DE", "KE", "BR", "IN")[n % 6],
        "postcode": "" if n % 3 else f"{10000 + n % 89999}",
        "subject": "Stop arms transfers to abusive governments",
        "body": _BODY,
        "consent": "on",
        "referral": f"ref{n % 97}",
    }


@dataclass
class FormSpec:
    """How to fill and submit the form of the app under test."""

    fields: Callable[[int, str], dict[str, str]] = calibration_fields
    email_field: str = "email"
    # None: the form carries no token, and the POST carries the headers a browser sends
    # from the page itself (Origin, Sec-Fetch-Site: same-origin) instead.
    csrf_field: str | None = "csrfmiddlewaretoken"
    csrf_cookie: str = "csrftoken"
    accepted_status: int = 303
    post_path: str | None = None  # default: the form URL's path
    # The page may hold several forms: take the CSRF token of the first form after this
    # text (e.g. 'action="/campaigns/x/act/"'); default: the first token on the page.
    form_marker: str | None = None


@dataclass
class Result:
    mode: str
    concurrency: int
    wall_s: float
    requests: int = 0
    ok: int = 0  # 2xx for ``get``; accepted (303) POSTs for ``spike``
    latencies_ms: list[float] = field(default_factory=list, repr=False)  # of ok requests
    done_at: list[float] = field(default_factory=list, repr=False)  # their perf_counter() ends
    errors: Counter = field(default_factory=Counter)
    accepted_emails: list[str] = field(default_factory=list, repr=False)
    form_gets: int = 0
    cpu_s: float = 0.0  # CPU used by this generator process
    started: float = 0.0  # perf_counter() at the start

    @property
    def rate(self) -> float:
        return self.ok / self.wall_s if self.wall_s else 0.0

    @property
    def cpu_share(self) -> float:
        """Generator CPU as a fraction of one core."""
        return self.cpu_s / self.wall_s if self.wall_s else 0.0

    def pct(self, p: float, latencies: list[float] | None = None) -> float:
        s = sorted(self.latencies_ms if latencies is None else latencies)
        if not s:
            return float("nan")
        return s[min(len(s) - 1, max(0, int(round(p / 100 * len(s))) - 1))]

    def per_second(self) -> list[int]:
        """ok requests completed in each whole second of the run."""
        counts = Counter(int(t - self.started) for t in self.done_at)
        return [counts.get(i, 0) for i in range(int(self.wall_s))]

    def within(self, windows: list[tuple[float, float]]) -> tuple[float, list[float]]:
        """(ok/s, latencies) of requests completed inside the given perf_counter() windows."""
        span = sum(b - a for a, b in windows)
        lat = [ms for ms, t in zip(self.latencies_ms, self.done_at)
               if any(a <= t < b for a, b in windows)]
        return (len(lat) / span if span else float("nan")), lat

    def summary(self) -> dict:
        return {
            "mode": self.mode,
            "concurrency": self.concurrency,
            "wall_s": round(self.wall_s, 2),
            "requests": self.requests,
            "ok": self.ok,
            "ok_per_s": round(self.rate, 1),
            "p50_ms": round(self.pct(50), 1),
            "p95_ms": round(self.pct(95), 1),
            "p99_ms": round(self.pct(99), 1),
            "max_ms": round(max(self.latencies_ms, default=float("nan")), 1),
            "errors": dict(self.errors),
            "form_gets": self.form_gets,
            "gen_cpu_share": round(self.cpu_share, 3),
        }

    def __str__(self) -> str:
        s = self.summary()
        errs = ", ".join(f"{k}={v}" for k, v in sorted(s["errors"].items())) or "none"
        return (
            f"{s['mode']}: c={s['concurrency']} {s['ok']} ok / {s['requests']} req in "
            f"{s['wall_s']} s = {s['ok_per_s']}/s | p50 {s['p50_ms']} p95 {s['p95_ms']} "
            f"p99 {s['p99_ms']} max {s['max_ms']} ms | errors: {errs} | "
            f"generator CPU {s['gen_cpu_share'] * 100:.0f}% of a core"
        )


class HTTPError(Exception):
    def __init__(self, kind: str):
        super().__init__(kind)
        self.kind = kind


class Conn:
    """One keep-alive HTTP/1.1 connection; reconnects when the server closes it."""

    def __init__(self, host: str, port: int):
        self.host, self.port = host, port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None
        self.hosthdr = f"Host: {host}:{port}\r\n"

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None

    async def request(self, method: str, path: str, headers: str = "", body: bytes = b""):
        """Return (status, headers with lower-case names, set-cookie list, body)."""
        if self.writer is None:
            try:
                self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
            except OSError as e:
                raise HTTPError(
                    "conn_refused" if isinstance(e, ConnectionRefusedError) else "conn_error"
                ) from None
        head = f"{method} {path} HTTP/1.1\r\n{self.hosthdr}{headers}Content-Length: {len(body)}\r\n\r\n"
        try:
            self.writer.write(head.encode() + body)
            raw = await self.reader.readuntil(b"\r\n\r\n")
            lines = raw.decode("latin-1").split("\r\n")
            status = int(lines[0].split(" ", 2)[1])
            hdrs, cookies = {}, []
            for line in lines[1:]:
                if not line:
                    continue
                k, _, v = line.partition(":")
                k, v = k.strip().lower(), v.strip()
                if k == "set-cookie":
                    cookies.append(v)
                hdrs[k] = v
            if method == "HEAD" or status in (204, 304) or 100 <= status < 200:
                data = b""
            elif "content-length" in hdrs:
                data = await self.reader.readexactly(int(hdrs["content-length"]))
            elif hdrs.get("transfer-encoding", "").lower() == "chunked":
                data = await self._chunked()
            else:  # body delimited by connection close
                data = await self.reader.read()
                hdrs["connection"] = "close"
        except (OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, ValueError, IndexError):
            self.close()
            raise HTTPError("conn_error") from None
        if hdrs.get("connection", "").lower() == "close":
            self.close()
        return status, hdrs, cookies, data

    async def _chunked(self) -> bytes:
        parts = []
        while True:
            size = int((await self.reader.readuntil(b"\r\n")).split(b";")[0], 16)
            if size == 0:
                await self.reader.readuntil(b"\r\n")  # no trailers expected
                return b"".join(parts)
            parts.append(await self.reader.readexactly(size))
            await self.reader.readexactly(2)


def classify(status: int) -> str:
    if status == 503:
        return "503_shed"
    return f"{status // 100}xx_{status}"


def _target(url: str) -> tuple[str, int, str]:
    u = urlsplit(url)
    if u.scheme != "http" or u.hostname not in LOOPBACK:
        raise SystemExit(f"refusing to load anything but http://127.0.0.1: {url}")
    return u.hostname, u.port or 80, (u.path or "/") + (f"?{u.query}" if u.query else "")


class _Run:
    """Shared bounds and tallies of one run."""

    def __init__(self, mode, concurrency, seconds, max_requests, timeout):
        self.res = Result(mode, concurrency, 0.0)
        self.deadline = time.monotonic() + seconds
        self.max_requests = max_requests
        self.timeout = timeout
        self.issued = 0

    def take(self) -> int | None:
        """Claim the next request number, or None when time or count is up."""
        if self.issued >= self.max_requests or time.monotonic() >= self.deadline:
            return None
        self.issued += 1
        return self.issued - 1

    async def call(self, conn: Conn, *args):
        try:
            return await asyncio.wait_for(conn.request(*args), self.timeout)
        except TimeoutError:
            conn.close()
            raise HTTPError("timeout") from None


async def _measure(run: _Run, clients) -> Result:
    cpu0, t0 = _cpu(), time.perf_counter()
    run.res.started = t0
    tasks = [asyncio.create_task(c) for c in clients]
    # Hard stop even if something misbehaves: the deadline plus one request timeout.
    hard = max(0.0, run.deadline - time.monotonic()) + run.timeout + 5
    done, pending = await asyncio.wait(tasks, timeout=hard)
    for t in pending:
        t.cancel()
    for t in done:
        if t.exception():
            run.res.errors[f"client_crash_{type(t.exception()).__name__}"] += 1
    run.res.wall_s = time.perf_counter() - t0
    run.res.cpu_s = _cpu() - cpu0
    return run.res


def _cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


# What a browser sends with a page request, and what the server may answer accordingly
# (a compressed body, a language).
BROWSER_GET_HEADERS = (
    "Accept: text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8\r\n"
    "Accept-Encoding: gzip, deflate, br, zstd\r\n"
    "Accept-Language: en-GB,en;q=0.9\r\n"
)


async def get_load(url, concurrency=64, seconds=10.0, max_requests=10**7, timeout=10.0,
                   rate=0.0, measure=True) -> Result:
    """C clients GET `url` in a closed loop, with a browser's request headers; with
    `rate` > 0 each client sends at most `rate` requests a second (a bounded
    background load)."""
    host, port, path = _target(url)
    run = _Run("get", concurrency, seconds, max_requests, timeout)
    res = run.res

    async def client(i):
        conn = Conn(host, port)
        t_next = time.perf_counter() + (i / concurrency / rate if rate else 0)
        while True:
            if rate:  # no catching up in bursts after a slow response
                if (wait := t_next - time.perf_counter()) > 0:
                    await asyncio.sleep(wait)
                t_next = max(t_next, time.perf_counter()) + 1 / rate
            if run.take() is None:
                break
            t = time.perf_counter()
            res.requests += 1
            try:
                status, *_ = await run.call(conn, "GET", path, BROWSER_GET_HEADERS)
            except HTTPError as e:
                res.errors[e.kind] += 1
                continue
            if 200 <= status < 300:
                res.ok += 1
                res.done_at.append(end := time.perf_counter())
                res.latencies_ms.append((end - t) * 1000)
            else:
                res.errors[classify(status)] += 1
        conn.close()

    clients = [client(i) for i in range(concurrency)]
    return await _measure(run, clients) if measure else await _unmeasured(run, clients)


async def _unmeasured(run: _Run, clients) -> Result:
    """Like _measure but without CPU accounting (a load running beside a measured one)."""
    t0 = time.perf_counter()
    run.res.started = t0
    await asyncio.gather(*clients, return_exceptions=True)
    run.res.wall_s = time.perf_counter() - t0
    return run.res


async def spike(url, concurrency=64, seconds=10.0, max_requests=10**6, timeout=10.0,
                spec: FormSpec | None = None, get_each=False, run_id=None) -> Result:
    spec = spec or FormSpec()
    host, port, form_path = _target(url)
    post_path = spec.post_path or form_path
    run_id = run_id or uuid.uuid4().hex[:8]
    run = _Run("spike", concurrency, seconds, max_requests, timeout)
    res = run.res
    token_re = re.compile(rb'name="' + (spec.csrf_field or "").encode() + rb'" value="([^"]+)"')
    cookie_re = re.compile(re.escape(spec.csrf_cookie) + r"=([^;]+)")
    origin = f"http://{host}:{port}"

    async def load_form(conn: Conn) -> tuple[str, str] | None:
        res.form_gets += 1
        try:
            status, _, cookies, body = await run.call(conn, "GET", form_path)
        except HTTPError as e:
            res.errors[f"form_{e.kind}"] += 1
            return None
        at = body.find(spec.form_marker.encode()) if spec.form_marker else 0
        if spec.csrf_field is None:
            if status != 200 or at < 0:
                res.errors[f"form_{classify(status)}" if status != 200 else "form_missing"] += 1
                return None
            return "", ""
        m = token_re.search(body, max(at, 0)) if at >= 0 else None
        c = next((m2.group(1) for ck in cookies if (m2 := cookie_re.match(ck))), None)
        if status != 200 or not m or not c:
            res.errors[f"form_{classify(status)}" if status != 200 else "form_no_token"] += 1
            return None
        return c, m.group(1).decode()

    async def client():
        conn = Conn(host, port)
        csrf = None
        while True:
            if csrf is None or get_each:
                if time.monotonic() >= run.deadline:
                    break
                if (csrf := await load_form(conn)) is None:
                    await asyncio.sleep(0.05)
                    continue
            n = run.take()
            if n is None:
                break
            fields = spec.fields(n, run_id)
            if spec.csrf_field is None:
                body = urlencode(fields).encode()
                proof = f"Origin: {origin}\r\nSec-Fetch-Site: same-origin\r\n"
            else:
                body = urlencode({**fields, spec.csrf_field: csrf[1]}).encode()
                proof = f"Cookie: {spec.csrf_cookie}={csrf[0]}\r\n"
            headers = (
                proof +
                "Content-Type: application/x-www-form-urlencoded\r\n"
                f"X-Forwarded-For: 10.{n >> 16 & 255}.{n >> 8 & 255}.{n & 255}\r\n"
            )
            t = time.perf_counter()
            res.requests += 1
            try:
                status, *_ = await run.call(conn, "POST", post_path, headers, body)
            except HTTPError as e:
                res.errors[e.kind] += 1
                continue
            if status == spec.accepted_status:
                res.ok += 1
                res.done_at.append(end := time.perf_counter())
                res.latencies_ms.append((end - t) * 1000)
                res.accepted_emails.append(fields[spec.email_field])
            else:
                res.errors[classify(status)] += 1
                if status == 403:
                    csrf = None
        conn.close()

    return await _measure(run, [client() for _ in range(concurrency)])


def _loop_run(coro):
    try:
        import uvloop  # optional, leaner

        return uvloop.run(coro)
    except ImportError:
        return asyncio.run(coro)


def run_get(url, **kw) -> Result:
    return _loop_run(get_load(url, **kw))


def run_spike(url, **kw) -> Result:
    return _loop_run(spike(url, **kw))


def run_spike_with_readers(url, readers=(), **kw) -> tuple[Result, list[Result]]:
    """A spike, and beside it for as long, bounded GET loads: readers is a list of
    (url, clients, requests per second per client). Returns (spike, [reader results])."""

    async def both():
        seconds = kw.get("seconds", 10.0)
        side = [get_load(u, concurrency=c, seconds=seconds, rate=r, measure=False)
                for u, c, r in readers]
        res, *others = await asyncio.gather(spike(url, **kw), *side)
        return res, others

    return _loop_run(both())


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("mode", choices=["get", "spike"])
    p.add_argument("url")
    p.add_argument("-c", "--concurrency", type=int, default=64)
    p.add_argument("-s", "--seconds", type=float, default=10)
    p.add_argument("-n", "--max-requests", type=int, default=1_000_000)
    p.add_argument("--timeout", type=float, default=10)
    p.add_argument("--get-each", action="store_true", help="spike: GET the form before every POST")
    p.add_argument("--emails-out", help="spike: write acknowledged emails here, one a line")
    p.add_argument("--json", action="store_true", help="print the summary as JSON")
    a = p.parse_args(argv)
    kw = dict(concurrency=a.concurrency, seconds=a.seconds, max_requests=a.max_requests,
              timeout=a.timeout)
    if a.mode == "get":
        res = run_get(a.url, **kw)
    else:
        res = run_spike(a.url, get_each=a.get_each, **kw)
        if a.emails_out:
            with open(a.emails_out, "w") as f:
                f.writelines(e + "\n" for e in res.accepted_emails)
    print(json.dumps(res.summary()) if a.json else res)
    return 0 if res.ok else 1


if __name__ == "__main__":
    sys.exit(main())
