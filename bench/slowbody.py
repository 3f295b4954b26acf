"""Slow request bodies against a running server, from one address (127.0.0.1 only).

N connections each POST to the action URL with `Content-Length: 100000`, then send one
byte every `--interval` seconds. Meanwhile one client asks for /healthz and the campaign
page in turn and records how long each answer takes. Bounded: a fixed number of
connections for a fixed number of seconds.

    .venv/bin/python -m bench.slowbody http://127.0.0.1:8000 --slug arms-trade-treaty \
        --connections 60 --seconds 20

Prints the attack's answers (how many were refused at once, and how) and the probes'
latencies; exits 1 if a probe took longer than a second or failed.
"""

import argparse
import asyncio
import statistics
import sys
import time
from collections import Counter
from urllib.parse import urlsplit

LOOPBACK = {"127.0.0.1", "localhost", "::1"}


async def slow_body(host, port, path, length, interval, until, outcome):
    try:
        reader, writer = await asyncio.open_connection(host, port)
    except OSError as exc:
        outcome[f"connect failed: {exc.__class__.__name__}"] += 1
        return
    writer.write((f"POST {path} HTTP/1.1\r\nHost: {host}:{port}\r\n"
                  "Content-Type: application/x-www-form-urlencoded\r\n"
                  f"Content-Length: {length}\r\n\r\n").encode())
    try:
        while time.monotonic() < until:
            await writer.drain()
            try:
                line = await asyncio.wait_for(reader.readline(), interval)
            except TimeoutError:
                writer.write(b"a")
                continue
            outcome[line.decode(errors="replace").strip() or "closed"] += 1
            return
        outcome["still sending at the end"] += 1
    except OSError as exc:
        outcome[f"dropped: {exc.__class__.__name__}"] += 1
    finally:
        writer.close()


async def probe(host, port, path, timeout):
    start = time.monotonic()
    try:
        reader, writer = await asyncio.open_connection(host, port)
        writer.write(f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\nConnection: close\r\n\r\n"
                     .encode())
        status = await asyncio.wait_for(reader.readline(), timeout)
        await asyncio.wait_for(reader.read(), timeout)
        writer.close()
        code = int(status.split()[1]) if status else 0
    except (OSError, TimeoutError, ValueError, IndexError):
        code = 0
    return code, time.monotonic() - start


async def attack(url, slug, connections, seconds, interval, length=100_000, probe_timeout=5.0):
    parts = urlsplit(url)
    if parts.hostname not in LOOPBACK:
        raise SystemExit("slowbody only attacks 127.0.0.1")
    host, port = parts.hostname, parts.port or 80
    until = time.monotonic() + seconds
    outcome = Counter()
    attackers = [asyncio.create_task(slow_body(host, port, f"/campaigns/{slug}/act/", length,
                                               interval, until, outcome))
                 for _ in range(connections)]
    await asyncio.sleep(1.0)  # let every slow body start first
    probes = {"/healthz": [], f"/campaigns/{slug}/": []}
    while time.monotonic() < until:
        for path, seen in probes.items():
            seen.append(await probe(host, port, path, probe_timeout))
        await asyncio.sleep(0.25)
    await asyncio.gather(*attackers)
    return outcome, probes


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("url")
    parser.add_argument("--slug", default="arms-trade-treaty")
    parser.add_argument("--connections", type=int, default=60)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--interval", type=float, default=2.0)
    args = parser.parse_args(argv)
    if args.connections > 500 or args.seconds > 120:
        raise SystemExit("at most 500 connections for 120 s")
    outcome, probes = asyncio.run(attack(args.url, args.slug, args.connections, args.seconds,
                                         args.interval))
    print(f"{args.connections} slow bodies for {args.seconds:.0f} s; their answers:")
    for answer, count in outcome.most_common():
        print(f"  {count:4d}  {answer}")
    ok = True
    for path, seen in probes.items():
        times = [t for _, t in seen]
        failed = sum(1 for code, t in seen if code != 200 or t > 1.0)
        ok = ok and not failed and bool(seen)
        print(f"{path}: {len(seen)} probes, median {statistics.median(times) * 1000:.0f} ms, "
              f"max {max(times) * 1000:.0f} ms, {failed} slower than 1 s or failed")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
