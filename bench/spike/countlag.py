"""Public count lag: how far the count the site shows trails the rows in the database.

Every `interval` seconds the sampler reads the confirmed count straight from the
database (a read-only connection of its own) and then asks the site's count URL on a
fresh connection (so successive samples reach different server processes, each with
its own cache). The lag of one sample of the site is how long ago the database last
had a count no higher than the one shown: 0 if the database has not moved past it yet.
With database samples `interval` apart this over-states the lag by up to `interval`.
"""

from __future__ import annotations

import http.client
import json
import sqlite3
import threading
import time
from urllib.parse import urlsplit

import dj_database_url


class DbCounter:
    """One read-only connection that runs one counting query."""

    def __init__(self, database_url: str, sql: str):
        self.sql = sql
        cfg = dj_database_url.parse(database_url)
        if cfg["ENGINE"].endswith("sqlite3"):
            self.con = sqlite3.connect(f"file:{cfg['NAME']}?mode=ro", uri=True, timeout=30,
                                       check_same_thread=False)
        else:
            import psycopg

            self.con = psycopg.connect(
                dbname=cfg["NAME"], user=cfg["USER"], password=cfg["PASSWORD"] or None,
                host=cfg["HOST"] or None, port=cfg["PORT"] or None, autocommit=True,
                options="-c default_transaction_read_only=on",
            )

    def count(self) -> int:
        return self.con.execute(self.sql).fetchone()[0]

    def close(self) -> None:
        self.con.close()


def fetch_count(url: str, timeout: float = 5.0) -> int | None:
    u = urlsplit(url)
    conn = http.client.HTTPConnection(u.hostname, u.port, timeout=timeout)
    try:
        conn.request("GET", u.path, headers={"Connection": "close"})
        r = conn.getresponse()
        body = r.read()
        return json.loads(body)["count"] if r.status == 200 else None
    except (OSError, ValueError, KeyError):
        return None
    finally:
        conn.close()


class LagSampler(threading.Thread):
    def __init__(self, count_url: str, database_url: str, sql: str, interval: float = 0.25):
        super().__init__(daemon=True)
        self.url, self.interval = count_url, interval
        self.db = DbCounter(database_url, sql)
        self.db_samples: list[tuple[float, int]] = []  # (perf_counter at query start, count)
        self.site_samples: list[tuple[float, int]] = []  # (perf_counter at response, count)
        self.errors = 0
        self._halt = threading.Event()

    def run(self) -> None:
        try:
            while not self._halt.is_set():
                t_next = time.perf_counter() + self.interval
                t = time.perf_counter()
                try:
                    self.db_samples.append((t, self.db.count()))
                except Exception:  # a locked or busy database: skip this sample
                    self.errors += 1
                shown = fetch_count(self.url)
                if shown is None:
                    self.errors += 1
                else:
                    self.site_samples.append((time.perf_counter(), shown))
                self._halt.wait(max(0.0, t_next - time.perf_counter()))
        finally:
            self.db.close()

    def stop(self) -> None:
        self._halt.set()
        self.join(10)

    def lag(self, t_site: float, shown: int) -> float:
        """Seconds since the database last had a count <= shown (0: not moved past it)."""
        prev = None  # the database's count only grows: find where it passed `shown`
        for t, n in self.db_samples:
            if t > t_site:
                break
            if n > shown:  # passed it between `prev` and `t`: count from `prev`
                return t_site - (prev if prev is not None else t)
            prev = t
        return 0.0

    def lags(self, start: float, end: float) -> list[float]:
        return [self.lag(t, n) for t, n in self.site_samples if start <= t <= end]

    def wait_settled(self, final: int, since: float, timeout: float, streak: int = 8) -> float | None:
        """After the spike: seconds from `since` until the site shows `final` and keeps
        showing it for `streak` samples in a row; None if not within `timeout`."""
        end = since + timeout
        while time.perf_counter() < end:
            after = [(t, n) for t, n in self.site_samples if t >= since]
            if len(after) >= streak and all(n == final for _, n in after[-streak:]):
                first_ok = len(after)
                while first_ok > 0 and after[first_ok - 1][1] == final:
                    first_ok -= 1
                return round(after[first_ok][0] - since, 2)
            time.sleep(self.interval)
        return None
