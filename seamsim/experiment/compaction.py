"""The parts of an output directory merged into one file of row groups, one row per run key.

:meth:`seamsim.experiment.store.RunStore.compact` chooses the file's name, moves it into
place and deletes the parts; this module writes its content.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from seamsim.experiment.run_keys import KEY_COLUMNS, one_row_per_key

__all__ = ["kept_rows", "write_merged_parts"]


def kept_rows(parts: list[Path]) -> list[list[int]]:
    """Return, per part, the rows :func:`~seamsim.experiment.store.read_runs` keeps (one per run key), in order."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    tables = []
    for number, part in enumerate(parts):
        names = set(pq.read_schema(part).names)
        table = pq.read_table(part, columns=[c for c in (*KEY_COLUMNS, "status", "error") if c in names])
        tables.append(table.append_column("_part", pa.array([number] * table.num_rows, pa.int64()))
                      .append_column("_row", pa.array(range(table.num_rows), pa.int64())))
    try:
        merged = pa.concat_tables(tables, promote_options="permissive")
    except (pa.ArrowInvalid, pa.ArrowTypeError):  # parts that disagree on a key's type: slower, per part
        merged = None
    every = (merged.to_pandas() if merged is not None
             else pd.concat([t.to_pandas() for t in tables], ignore_index=True, sort=False))
    kept = one_row_per_key(every, every["_part"].tolist())
    out: list[list[int]] = [[] for _ in parts]
    for number, row in zip(kept["_part"], kept["_row"], strict=True):
        out[int(number)].append(int(row))
    return [sorted(rows) for rows in out]


def _conformed(table: Any, schema: Any) -> Any:
    """Return ``table`` with the columns and types of ``schema`` (missing columns null)."""
    import pyarrow as pa

    if table.schema.equals(schema, check_metadata=False):
        return table.replace_schema_metadata(schema.metadata)
    columns = []
    for field_ in schema:
        if field_.name in table.column_names:
            columns.append(table.column(field_.name).cast(field_.type))
        else:
            columns.append(pa.nulls(table.num_rows, field_.type))
    return pa.Table.from_arrays(columns, schema=schema)


def write_merged_parts(parts: list[Path], path: Path, row_group_rows: int) -> None:
    """Write the rows of ``parts`` that :func:`kept_rows` keeps to ``path``, in row groups.

    Parameters
    ----------
    parts : list of Path
        The parts, in the order they were written.
    path : Path
        The file to write (a temporary name: the caller moves it into place).
    row_group_rows : int
        Rows per row group (smaller groups only at the end).
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    keep = kept_rows(parts)
    schema = pa.unify_schemas([pq.read_schema(p) for p in parts], promote_options="permissive")
    with pq.ParquetWriter(path, schema) as writer:
        pending: list[pa.Table] = []
        rows = 0
        for number, part in enumerate(parts):
            table = _conformed(pq.read_table(part), schema).take(pa.array(keep[number], type=pa.int64()))
            if table.num_rows:
                pending.append(table)
                rows += table.num_rows
            if rows >= row_group_rows:  # whole row groups now, the rest with what follows
                merged = pa.concat_tables(pending)
                whole = rows - rows % row_group_rows
                writer.write_table(merged.slice(0, whole), row_group_size=row_group_rows)
                pending, rows = [merged.slice(whole)], rows - whole
        if rows:
            writer.write_table(pa.concat_tables(pending), row_group_size=row_group_rows)
