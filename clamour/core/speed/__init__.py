"""The performance machinery: what lets one small server take a viral spike of
submissions, each piece measured against the plain Django way (bench/RESULTS.md).

- `groupcommit`: one writer thread per process commits the queued submissions
  together, so a spike pays for one durable commit per batch, not per person.
- `bulk`: the writer's multi-row INSERT (COPY on PostgreSQL).
- `sqlite`: the SQLite backend whose writers queue on a file lock.
- `pagecache` and `localcache`: anonymous visitors of a hot page get stored bytes;
  the campaign read on every submission comes from memory.
- `busy`: the web tells the task worker to rest while submissions pour in.
- `smtp`: the task worker's SMTP sessions stay open from one message to the next.

docs/tuning.md lists the settings that tune them; `make bench-machinery` measures the
spike with the SQLite lock, COPY and the SMTP sessions switched off one at a time
(BENCH_SWITCH_OFF).
"""
