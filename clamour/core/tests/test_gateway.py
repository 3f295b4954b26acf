"""The production server under slow and oversized request bodies, over real sockets."""

import hashlib
import os
import re
import select
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from urllib.parse import urlencode

import pytest

from clamour.testing.serving import REPO, free_port, serving_demo, wait_for

pytestmark = pytest.mark.slow
SLUG = "arms-trade-treaty"  # a campaign of the demo data
SERVED = {}  # the running server's var/ directory


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """`manage.py serve` on the demo data: one web process of two threads."""
    var = SERVED["var"] = tmp_path_factory.mktemp("gateway")
    with serving_demo(var, var / "gateway.sqlite3", BODIES_PER_ADDRESS="4",
                      REQUEST_BODY_TIMEOUT="6", DEBUG="false", TRUSTED_PROXIES="",
                      SUBMIT_RATE_PER_IP="30/60") as port:
        wait_for(lambda: get(port, "/healthz")[0] == 200, 120)
        yield port


def get(port, path, timeout=5.0):
    """(status, seconds taken); status 0 when no answer came within `timeout`."""
    start = time.monotonic()
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=timeout) as r:
            r.read()
            return r.status, time.monotonic() - start
    except urllib.error.HTTPError as exc:
        return exc.code, time.monotonic() - start
    except OSError:
        return 0, time.monotonic() - start


def start_post(port, length, path=f"/campaigns/{SLUG}/act/", extra=""):
    sock = socket.create_connection(("127.0.0.1", port), timeout=10)
    sock.sendall((f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
                  "Content-Type: application/x-www-form-urlencoded\r\n"
                  f"{extra}Content-Length: {length}\r\n\r\n").encode())
    return sock


def status_of(sock) -> int:
    line = sock.makefile("rb").readline()
    return int(line.split()[1])


def test_slow_bodies_hold_no_thread_and_the_site_keeps_answering(server):
    # Ten connections (five times the threads) start bodies they never finish.
    slow = [start_post(server, 100_000) for _ in range(10)]
    arrived = {}  # socket → when its answer arrived

    def watch():
        deadline = time.monotonic() + 30
        while len(arrived) < len(slow) and time.monotonic() < deadline:
            ready, _, _ = select.select([s for s in slow if s not in arrived], [], [], 0.5)
            for sock in ready:
                arrived[sock] = time.monotonic()

    watcher = threading.Thread(target=watch)
    try:
        for sock in slow:
            sock.sendall(b"a")
        watcher.start()
        time.sleep(0.5)
        for path in ("/healthz", f"/campaigns/{SLUG}/"):
            status, took = get(server, path)
            assert status == 200, (path, status, took)
        # Past BODIES_PER_ADDRESS (4) bodies in flight from this address: 429 at once;
        # the four still sending are cut off after REQUEST_BODY_TIMEOUT with a 408.
        watcher.join(40)
        answers = sorted((arrived[sock], status_of(sock)) for sock in slow)
        assert [status for _, status in answers] == [429] * 6 + [408] * 4
        assert answers[5][0] + 2 < answers[6][0]  # the refusals did not wait for the bodies
    finally:
        for sock in slow:
            sock.close()


def test_an_oversized_body_is_refused_before_it_is_sent(server):
    sock = start_post(server, 1_000_000_000)  # 1,000 MB declared, nothing sent
    sock.settimeout(5)
    try:
        head = sock.recv(4096).decode()
    finally:
        sock.close()
    assert head.startswith("HTTP/1.1 413")
    assert "too large" in head and "Nothing was recorded" in head
    sock = start_post(server, 10_000_000, path=f"/campaigns/{SLUG}/count.json")
    sock.settimeout(5)
    try:
        head = sock.recv(4096).decode()
    finally:
        sock.close()
    assert head.startswith("HTTP/1.1 413") and "application/json" in head
    assert '"error": "request_too_large"' in head


def test_a_supporter_can_still_take_the_action_through_the_gateway(server):
    page = urllib.request.urlopen(f"http://127.0.0.1:{server}/campaigns/{SLUG}/", timeout=10)
    assert page.status == 200 and b'name="email"' in page.read()
    form = urlencode({"name": "Ana Gateway", "email": "ana.gateway@example.net",
                      "country": "FR", "subject": "Please act on the treaty",
                      "body": "We ask you to support a strong treaty. " * 5,
                      "consent": "on", "consent_digest": "", "ref": ""}).encode()
    request = urllib.request.Request(
        f"http://127.0.0.1:{server}/campaigns/{SLUG}/act/", data=form,
        headers={"Sec-Fetch-Site": "same-origin"})

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    with pytest.raises(urllib.error.HTTPError) as answer:
        urllib.request.build_opener(NoRedirect).open(request, timeout=10)
    assert answer.value.code in (302, 303), answer.value.read()[:500]
    assert f"/campaigns/{SLUG}/thanks/" in answer.value.headers["Location"]


def test_streamed_responses_arrive_whole(server):
    """Static files (and other streamed responses) are sent chunk by chunk."""
    with urllib.request.urlopen(f"http://127.0.0.1:{server}/campaigns/{SLUG}/", timeout=10) as r:
        page = r.read().decode()
    stylesheet = re.search(r'href="(/static/[^"]+\.css)"', page).group(1)
    with urllib.request.urlopen(f"http://127.0.0.1:{server}{stylesheet}", timeout=10) as r:
        body = r.read()
        assert int(r.headers["Content-Length"]) == len(body)
    assert body == (SERVED["var"] / stylesheet.lstrip("/")).read_bytes()
    assert len(body) > 8192  # more than one chunk


@pytest.fixture(scope="module")
def echo_server(tmp_path_factory):
    """granian serving the gateway in front of a WSGI app that echoes the body's digest."""
    port = free_port()
    env = {**os.environ, "CLAMOUR_VAR_DIR": str(tmp_path_factory.mktemp("echo")),
           "WEB_THREADS": "2", "DATABASE_URL": "sqlite:///:memory:"}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    process = subprocess.Popen(
        [sys.executable, "-m", "granian", "--interface", "rsgi", "--port", str(port),
         "--blocking-threads", "1", "--no-ws", "--log-level", "warning",
         "clamour.testing.echo_gateway:app"], cwd=REPO, env=env)
    try:
        wait_for(lambda: get(port, "/")[0] == 200, 60)
        yield port
    finally:
        process.terminate()
        process.wait(30)


@pytest.mark.parametrize("size", [0, 1000, 3 * 1024 * 1024])
@pytest.mark.parametrize("chunked", [False, True])
def test_bodies_small_and_large_reach_the_app_whole(echo_server, size, chunked):
    """Bodies over a megabyte are spooled to a file on the way in; either way the app
    reads exactly what was sent, declared by length or chunked."""
    body = bytes(range(256)) * (size // 256) + b"z" * (size % 256)
    request = urllib.request.Request(f"http://127.0.0.1:{echo_server}/staff/echo/",
                                     data=iter([body]) if chunked else body, method="POST")
    if chunked:
        request.add_header("Transfer-Encoding", "chunked")
    with urllib.request.urlopen(request, timeout=30) as response:
        length, digest, declared = response.read().decode().split(" ")
    assert int(length) == size and digest == hashlib.sha256(body).hexdigest()
    assert declared == (str(size) if size else "")
