"""Experiment only: Clamour's WSGI application with a shorter GIL switch interval.

    BENCH_CLAMOUR_WSGI=bench.spike.wsgi_switch:application BENCH_SWITCH_INTERVAL=0.0005 \
        .venv/bin/python -m bench.spike --app clamour ...

A thread that returns from the database (SQLite or PostgreSQL calls release the GIL)
waits for the GIL while other request threads run Python; CPython hands it over only
every `sys.getswitchinterval()` (5 ms). The group-commit writer does this several
times per submission while it holds the database's write lock, so shortening the
interval shows how much of the write path is spent waiting for the GIL.
"""

import os
import sys

sys.setswitchinterval(float(os.environ.get("BENCH_SWITCH_INTERVAL", "0.0005")))

from clamour.wsgi import application  # noqa: E402,F401
