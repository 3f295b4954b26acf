"""The cost of a rate-limit check on the submit path (no Redis), per call.

    .venv/bin/python -m bench.ratelimit [--calls 200000] [--threads 1]

Each call is what a submission does twice (per address, per email): count one event
for a subject and say whether it is within the limit. Subjects are drawn from a crowd
(a spike of many people), with a few repeat offenders. Prints microseconds per call.
"""

import argparse
import os
import sys
import tempfile
import threading
import time


def main(argv=None):
    parser = argparse.ArgumentParser()
    parser.add_argument("--calls", type=int, default=200_000)
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clamour.settings")
    os.environ.setdefault("CLAMOUR_VAR_DIR", tempfile.mkdtemp(prefix="clamour-rl-"))
    os.environ.pop("REDIS_URL", None)
    import django

    django.setup()
    from clamour.core import ratelimit

    subjects = [f"198.51.{n // 250}.{n % 250}" for n in range(20_000)]
    per_thread = args.calls // args.threads

    def run(offset):
        for i in range(per_thread):
            subject = subjects[(offset + i * 7919) % len(subjects)] if i % 10 else "203.0.113.9"
            ratelimit.allow("submit-ip", subject, limit=30, window=60)

    threads = [threading.Thread(target=run, args=(t * 1000,)) for t in range(args.threads)]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    took = time.perf_counter() - start
    calls = per_thread * args.threads
    print(f"{calls} checks on {args.threads} thread(s): {took / calls * 1e6:.2f} µs per check "
          f"({calls / took:,.0f} a second)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
