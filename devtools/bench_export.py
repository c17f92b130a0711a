"""Child process of ``bench_escala``: stream every compiled release out of the database.

``python -m devtools.bench_export MODE OUTPUT`` (run by ``devtools.bench_scale``) prints one
line of JSON: seconds, lines, bytes, the process's peak RSS and, in the ``*-hash`` modes, the
SHA-256 of the output. The database comes from ``BENCH_ESCALA_DB`` (the parent's connection
settings), so the child reads exactly the database the parent measures. Modes:

* ``export`` — ``ocds_pages.bulk.stored_texts`` over every record, one JSON per line: the path
  of ``exportar_bulk`` (and of the compiled-release files the API's bulk download serves);
* ``idle`` — nothing: the memory of a child that only loaded Django (the baseline);
* ``copy`` — a raw ``COPY (SELECT compiled_release ...) TO STDOUT`` of the same JSON with psycopg,
  its blocks written as they arrive: the physical limit the export is compared with.

Running in a separate process isolates the peak RSS of the export alone.
"""

import hashlib
import json
import os
import resource
import sys
import time


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings")
    import django

    django.setup()
    from django.db import connection

    connection.settings_dict.update(json.loads(os.environ["BENCH_ESCALA_DB"]))


def _exported():
    from ocds_pages.bulk import stored_texts
    from ocds_pages.models import Record

    for text in stored_texts(Record.objects.order_by("pk"), "compiled_release"):
        yield text + b"\n"


def _copied():
    from django.db import connection

    from ocds_pages.bulk import COPY_OPTIONS
    from ocds_pages.models import Record

    sql = f"SELECT compiled_release FROM {Record._meta.db_table} ORDER BY id"  # noqa: S608
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY ({sql}) TO STDOUT {COPY_OPTIONS}") as copy,
    ):
        for block in copy:
            yield bytes(block)


def peak_rss_mb() -> float:
    """This process's peak resident memory (``VmHWM``).

    Not ``ru_maxrss``: on Linux it keeps, across ``exec``, the peak of the parent that forked the
    child, so every child would report at least the parent's memory.
    """
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _source(mode: str):
    if mode == "idle":
        return iter(())
    return _copied() if mode.startswith("copy") else _exported()


def run(mode: str, output: str) -> dict:
    """Stream the JSON of every compiled release to ``output``; figures of the run."""
    source = _source(mode)
    digest = hashlib.sha256() if mode.endswith("-hash") else None
    lines = size = 0
    start = time.perf_counter()
    with open(output, "wb", buffering=1 << 20) as handle:
        for chunk in source:
            handle.write(chunk)
            lines += chunk.count(b"\n")
            size += len(chunk)
            if digest is not None:
                digest.update(chunk)
    seconds = time.perf_counter() - start
    report = {"seconds": seconds, "lines": lines, "bytes": size}
    report["max_rss_mb"] = peak_rss_mb()
    if digest is not None:
        report["sha256"] = digest.hexdigest()
    return report


if __name__ == "__main__":
    _setup()
    print(json.dumps(run(sys.argv[1], sys.argv[2])))  # noqa: T201 (read by the parent)
