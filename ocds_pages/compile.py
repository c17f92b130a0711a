"""Compile the releases of one ocid into its compiled and versioned release (OCDS merge rules).

The ``ocdsmerge.Merger`` is built once per process from the bundled patched schema: building it
costs ~16 ms (docs/arquitectura.md §6), and without ``schema=`` it would download the schema
(docs/arquitectura.md, decision 14).
"""

from dataclasses import dataclass

import ocdsmerge
from ocdsmerge.flatten import flatten
from ocdsmerge.merge import CompiledRelease, VersionedRelease
from ocdsmerge.util import sorted_releases

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

    The releases are ordered by ``date`` (OCDS merging rules, ``ocdsmerge.util.sorted_releases``),
    so any order will do. What ``Merger.create_compiled_release`` and ``create_versioned_release``
    do, but each release is flattened once for both (flattening is most of the cost: 4.2 ms →
    1.6 ms for a generated process of ~5 releases); tests/ocds_pages/test_compile.py checks both
    against ocdskit.
    """
    merger = get_merger()
    rules = {"merge_rules": merger.merge_rules, "rule_overrides": merger.rule_overrides}
    compiled, versioned = CompiledRelease(**rules), VersionedRelease(**rules)
    for release in sorted_releases(releases):
        release = release.copy()
        tag = release.pop("tag", None)  # omitted when merged (MergedRelease.append)
        flat = flatten(release, merger.merge_rules, merger.rule_overrides, flattened={})
        ocid, release_id, date = release.get("ocid"), release.get("id"), release.get("date")
        compiled.flat_append(dict(flat), ocid, release_id, date, tag)
        versioned.flat_append(flat, ocid, release_id, date, tag)
    return Compilation(compiled=compiled.asdict(), versioned=versioned.asdict())
