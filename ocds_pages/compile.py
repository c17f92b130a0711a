"""Compile the releases of one ocid into its compiled and versioned release (OCDS merge rules).

The ``ocdsmerge.Merger`` is built once per process from the bundled patched schema: building it
costs ~16 ms (PERFORMANCE.md), and without ``schema=`` it would download the schema (STACK.md,
caveat 6).
"""

from dataclasses import dataclass

import ocdsmerge

from ocds_pages.extension import contributed_version, patched_release_schema

_merger_cache: dict[int, ocdsmerge.Merger] = {}


def get_merger() -> ocdsmerge.Merger:
    """The process-wide Merger for the current patched schema."""
    version = contributed_version()
    merger = _merger_cache.get(version)
    if merger is None:
        merger = ocdsmerge.Merger(schema=patched_release_schema())
        _merger_cache.clear()
        _merger_cache[version] = merger
    return merger


@dataclass(frozen=True)
class Compilation:
    compiled: dict
    versioned: dict


def compile_releases(releases: list[dict]) -> Compilation:
    """The compiled and versioned release of the releases of one ocid.

    ocdsmerge itself orders the releases by ``date`` (OCDS merging rules), so any order will do.
    """
    merger = get_merger()
    return Compilation(
        compiled=merger.create_compiled_release(releases),
        versioned=merger.create_versioned_release(releases),
    )
