"""Multi-row INSERTs for the group-commit writer's hot path.

Django's bulk_create compiles its SQL value by value (a placeholder, a conversion and
a pre-save hook per field of every row, through several layers); during a spike that
compilation was the largest part of the writer's time. `insert(objs)` does the same
per-value work through the same field methods (`pre_save`, `get_db_prep_save`), writes
the statement itself, and reads the new primary keys back with RETURNING (SQLite
3.35+). On PostgreSQL the rows go in by COPY instead, which the driver formats in C
(a long INSERT would have its text parsed and each value quoted in Python), with new
keys drawn from the table's sequence first. Like bulk_create, it sends no model
signals.

What it buys: the writer's time per batch, so more submissions per commit. Measured in
bench/RESULTS.md, "What changed between `4dd5880` and `1bc8582`" (commits 1fbb8da, the
INSERT, and 8576252, COPY) and "Where the time went"; `make bench-machinery` measures
COPY against the INSERT (BENCH_SWITCH_OFF=copy).
"""

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

MAX_PARAMS = 999  # SQLite's historical cap on parameters per statement


def insert(objs: list) -> None:
    """INSERT model instances of one model; sets the primary key of each."""
    if not objs:
        return
    # The connection itself, not the `django.db.connection` proxy, whose every
    # attribute lookup is a thread-local search (once per value adds up).
    connection = connections[DEFAULT_DB_ALIAS]
    opts = type(objs[0])._meta
    pk = opts.pk
    returning = pk.db_returning  # an auto-increment key: the database assigns it
    fields = [f for f in opts.concrete_fields if not (f.primary_key and returning)]
    if connection.vendor == "postgresql" and settings.BULK_COPY:  # off: bench only
        _copy_in(connection, objs, opts, fields, returning)
        return
    quote = connection.ops.quote_name
    head = (f"INSERT INTO {quote(opts.db_table)} ("
            + ", ".join(quote(f.column) for f in fields) + ") VALUES ")
    tail = f" RETURNING {quote(pk.column)}" if returning else ""
    row = "(" + ", ".join(["%s"] * len(fields)) + ")"
    per_statement = max(1, MAX_PARAMS // len(fields))
    with connection.cursor() as cursor:
        for start in range(0, len(objs), per_statement):
            chunk = objs[start:start + per_statement]
            params = [value for obj in chunk for value in _values(obj, fields, connection)]
            cursor.execute(head + ", ".join([row] * len(chunk)) + tail, params)
            if returning:
                for obj, (value,) in zip(chunk, cursor.fetchall(), strict=True):
                    obj.pk = value
    _mark_saved(objs, connection)


def _copy_in(connection, objs, opts, fields, returning) -> None:
    """PostgreSQL: COPY the rows in. The driver formats COPY rows in C, where a long
    INSERT's text is parsed and every value quoted in Python; new keys are drawn from
    the table's sequence first, since COPY cannot return them."""
    quote = connection.ops.quote_name
    pk = opts.pk
    with connection.cursor() as cursor, connection.wrap_database_errors:
        raw = cursor.cursor  # psycopg's own cursor: Django's wrapper has no copy()
        if returning:
            raw.execute("SELECT nextval(pg_get_serial_sequence(%s, %s)) "
                        "FROM generate_series(1, %s)", [opts.db_table, pk.column, len(objs)])
            for obj, (key,) in zip(objs, raw.fetchall(), strict=True):
                obj.pk = key
            fields = [pk, *fields]
        columns = ", ".join(quote(f.column) for f in fields)
        with raw.copy(f"COPY {quote(opts.db_table)} ({columns}) FROM STDIN") as copy:
            for obj in objs:
                copy.write_row(_values(obj, fields, connection))
    _mark_saved(objs, connection)


def _values(obj, fields, connection) -> list:
    """The row for `obj`, each value as Model.save() would send it (auto_now_add and
    defaults applied, converted for this database)."""
    return [f.get_db_prep_save(f.pre_save(obj, True), connection) for f in fields]


def _mark_saved(objs, connection) -> None:
    """What Model.save() leaves on an instance: no longer adding, and from this database."""
    for obj in objs:
        obj._state.adding = False
        obj._state.db = connection.alias
