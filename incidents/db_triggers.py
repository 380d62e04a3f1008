"""Database triggers that refuse changes to records the app must never alter.

The app's own code never updates or deletes these rows; the triggers make sure nothing else
does either (a stray script, an admin page, a future bug). They are written for PostgreSQL and
SQLite alike, and all carry the prefix below so that tools can find them.
"""

from django.db.backends.base.schema import BaseDatabaseSchemaEditor

TRIGGER_PREFIX = "ysi_protect_"

_PG_FUNCTION = """
CREATE OR REPLACE FUNCTION ysi_refuse_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'YSI: % on % is refused: these records cannot be changed or deleted', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'restrict_violation';
END;
$$ LANGUAGE plpgsql;
"""


def _names(table: str) -> tuple[str, str]:
    return f"{TRIGGER_PREFIX}{table}_update", f"{TRIGGER_PREFIX}{table}_delete"


def protect_table(schema_editor: BaseDatabaseSchemaEditor, table: str, when_old: str = "") -> None:
    """Refuse UPDATE and DELETE on every row of `table`, or only on rows where `when_old` holds.

    `when_old` is an SQL condition on the old row written with the prefix OLD., e.g.
    "OLD.signed_at IS NOT NULL"; it must be valid in both databases.
    """
    vendor = schema_editor.connection.vendor
    update_name, delete_name = _names(table)
    if vendor == "postgresql":
        schema_editor.execute(_PG_FUNCTION, params=None)
        condition = f"WHEN ({when_old})" if when_old else ""
        for name, event in ((update_name, "UPDATE"), (delete_name, "DELETE")):
            schema_editor.execute(
                f'CREATE TRIGGER {name} BEFORE {event} ON "{table}" FOR EACH ROW {condition} '
                "EXECUTE FUNCTION ysi_refuse_change();"
            )
    elif vendor == "sqlite":
        condition = f"WHEN {when_old}" if when_old else ""
        for name, event in ((update_name, "UPDATE"), (delete_name, "DELETE")):
            schema_editor.execute(
                f'CREATE TRIGGER {name} BEFORE {event} ON "{table}" FOR EACH ROW {condition} BEGIN '
                f"SELECT RAISE(ABORT, 'YSI: {event} on {table} is refused: these records cannot be changed or "
                "deleted'); END;"
            )
    else:
        raise NotImplementedError(f"No protecting triggers written for {vendor}.")


def unprotect_table(schema_editor: BaseDatabaseSchemaEditor, table: str) -> None:
    vendor = schema_editor.connection.vendor
    for name in _names(table):
        if vendor == "postgresql":
            schema_editor.execute(f'DROP TRIGGER IF EXISTS {name} ON "{table}";')
        else:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {name};")


def protect_columns(
    schema_editor: BaseDatabaseSchemaEditor, table: str, columns: list[str], set_once: tuple[str, ...] = ()
) -> None:
    """Refuse DELETE of any row, and any UPDATE that changes one of `columns`.

    Other columns stay updatable. A column in `set_once` may go from NULL to a value once and is
    protected from then on (e.g. who acknowledged a report, and when).
    """
    vendor = schema_editor.connection.vendor
    update_name, delete_name = _names(table)
    if vendor == "postgresql":
        changed = [f'OLD."{c}" IS DISTINCT FROM NEW."{c}"' for c in columns]
        changed += [f'(OLD."{c}" IS NOT NULL AND OLD."{c}" IS DISTINCT FROM NEW."{c}")' for c in set_once]
        schema_editor.execute(_PG_FUNCTION, params=None)
        schema_editor.execute(
            f'CREATE TRIGGER {update_name} BEFORE UPDATE ON "{table}" FOR EACH ROW WHEN ({" OR ".join(changed)}) '
            "EXECUTE FUNCTION ysi_refuse_change();"
        )
        schema_editor.execute(
            f'CREATE TRIGGER {delete_name} BEFORE DELETE ON "{table}" FOR EACH ROW '
            "EXECUTE FUNCTION ysi_refuse_change();"
        )
    elif vendor == "sqlite":
        changed = [f'OLD."{c}" IS NOT NEW."{c}"' for c in columns]
        changed += [f'(OLD."{c}" IS NOT NULL AND OLD."{c}" IS NOT NEW."{c}")' for c in set_once]
        for name, event, condition in (
            (update_name, "UPDATE", f"WHEN {' OR '.join(changed)}"),
            (delete_name, "DELETE", ""),
        ):
            schema_editor.execute(
                f'CREATE TRIGGER {name} BEFORE {event} ON "{table}" FOR EACH ROW {condition} BEGIN '
                f"SELECT RAISE(ABORT, 'YSI: {event} on {table} is refused: these records cannot be changed or "
                "deleted'); END;"
            )
    else:
        raise NotImplementedError(f"No protecting triggers written for {vendor}.")
