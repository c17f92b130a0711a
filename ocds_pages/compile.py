"""Compile the releases of one ocid into its compiled and versioned release (OCDS merge rules).

The ``ocdsmerge.Merger`` is built once per state of the release schema (the bundled patched
schema plus the declared extension fields, ``ocds_pages.extension.release_schema``): building it
costs ~16 ms (docs/arquitectura.md §6), and without ``schema=`` it would download the schema
(docs/arquitectura.md, decision 14).
"""

from dataclasses import dataclass
from functools import lru_cache

import ocdsmerge
from ocdsmerge.flatten import flatten
from ocdsmerge.merge import CompiledRelease, VersionedRelease
from ocdsmerge.util import sorted_releases

from ocds_pages.extension import ReleaseSchema, release_schema


@lru_cache(maxsize=4)
def _merger(schema: ReleaseSchema) -> ocdsmerge.Merger:
    return ocdsmerge.Merger(schema=schema.data)


def get_merger(schema: ReleaseSchema | None = None) -> ocdsmerge.Merger:
    """The Merger for ``schema`` (the current release schema, read from the database, if None)."""
    return _merger(schema if schema is not None else release_schema())


@dataclass(frozen=True)
class Compilation:
    compiled: dict
    versioned: dict


def compile_releases(releases: list[dict], *, schema: ReleaseSchema | None = None) -> Compilation:
    """The compiled and versioned release of the releases of one ocid.

    The releases are ordered by ``date`` (OCDS merging rules, ``ocdsmerge.util.sorted_releases``),
    so any order will do. What ``Merger.create_compiled_release`` and ``create_versioned_release``
    do, but each release is flattened once for both (flattening is most of the cost: 4.2 ms →
    1.6 ms for a generated process of ~5 releases); tests/ocds_pages/test_compile.py checks both
    against ocdskit. ``schema`` gives the merge rules (the current release schema if None).
    """
    merger = get_merger(schema)
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
