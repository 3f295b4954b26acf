"""Multi-row INSERTs for the group-commit writer's hot path.

Django's bulk_create compiles its SQL value by value (a placeholder, a conversion and
a pre-save hook per field of every row, through several layers); during a spike that
compilation was the largest part of the writer's time. `insert(objs)` does the same
per-value work through the same field methods (`pre_save`, `get_db_prep_save`), writes
the statement itself, and reads the new primary keys back with RETURNING, which both
supported databases have (SQLite 3.35+, PostgreSQL). Like bulk_create, it sends no
model signals.
"""

from django.db import connection

MAX_PARAMS = 999  # SQLite's historical cap on parameters per statement


def insert(objs: list) -> None:
    """INSERT model instances of one model; sets the primary key of each."""
    if not objs:
        return
    opts = type(objs[0])._meta
    pk = opts.pk
    returning = pk.db_returning  # an auto-increment key: the database assigns it
    fields = [f for f in opts.concrete_fields if not (f.primary_key and returning)]
    quote = connection.ops.quote_name
    head = (f"INSERT INTO {quote(opts.db_table)} ("
            + ", ".join(quote(f.column) for f in fields) + ") VALUES ")
    tail = f" RETURNING {quote(pk.column)}" if returning else ""
    row = "(" + ", ".join(["%s"] * len(fields)) + ")"
    per_statement = max(1, MAX_PARAMS // len(fields))
    with connection.cursor() as cursor:
        for start in range(0, len(objs), per_statement):
            chunk = objs[start:start + per_statement]
            params = [f.get_db_prep_save(f.pre_save(obj, True), connection)
                      for obj in chunk for f in fields]
            cursor.execute(head + ", ".join([row] * len(chunk)) + tail, params)
            if returning:
                for obj, (value,) in zip(chunk, cursor.fetchall(), strict=True):
                    obj.pk = value
            for obj in chunk:
                obj._state.adding = False
                obj._state.db = connection.alias
