"""Releases rebuilt from a versioned release, for records that only link their releases.

A record may carry its releases as links (``{url, date, tag}``) plus a ``versionedRelease``: the
history of every field, each version naming the release that set it. The system never downloads
(docs/arquitectura.md, decision 14), so the linked releases are rebuilt from that history: release
``R`` holds every field whose version came from ``R``. Compiling them again gives back the same
versioned release (a field appears in the history exactly when a release changed it), and every
release the publisher published is kept, instead of one compiled release (docs/ocds.md §8).

In the versioned form (OCDS merging), a field's history is a list of versions
``{releaseID, releaseDate, releaseTag, value}``; objects are walked into; arrays of objects merged
by identifier keep ``id`` plain and version their other fields.
"""

from collections.abc import Iterator

VERSION_KEYS = {"releaseID", "releaseDate", "value"}
OPTIONAL_VERSION_KEYS = {"releaseTag"}
# Fields the release schema requires that a release which did not change them must still carry.
CARRIED = ("initiationType",)


def is_history(value) -> bool:
    """Whether ``value`` is a field's list of versions."""
    return (
        isinstance(value, list)
        and bool(value)
        and all(
            isinstance(version, dict)
            and set(version) >= VERSION_KEYS
            and set(version) <= VERSION_KEYS | OPTIONAL_VERSION_KEYS
            for version in value
        )
    )


def _versions(node, path: tuple) -> Iterator[tuple[tuple, dict]]:
    """(path, version) of every version in ``node``; a path step is a key, or (key, id) for an
    element of an array merged by identifier."""
    for key, value in node.items():
        if is_history(value):
            for version in value:
                yield (*path, key), version
        elif isinstance(value, dict):
            yield from _versions(value, (*path, key))
        elif isinstance(value, list):
            for element in value:
                if isinstance(element, dict) and "id" in element:
                    yield from _versions(element, (*path, (key, element["id"])))


def _child(node: dict, step) -> dict:
    if isinstance(step, tuple):
        key, element_id = step
        elements = node.setdefault(key, [])
        for element in elements:
            if element.get("id") == element_id:
                return element
        elements.append({"id": element_id})
        return elements[-1]
    return node.setdefault(step, {})


def _set(release: dict, path: tuple, value) -> None:
    node = release
    for step in path[:-1]:
        node = _child(node, step)
    node[path[-1]] = value


# Fields the schema requires on an object (Tender.id, Budget.id…, Contract.awardID): a release
# that changed the object without changing them still carries their value at that moment.
KEPT_FIELDS = ("id", "awardID")


def _kept_fields(node, path: tuple) -> Iterator[tuple[tuple, str, list]]:
    """(path of an object, field, its history) for every object with a versioned kept field."""
    for key, value in node.items():
        if isinstance(value, dict):
            child = (*path, key)
        elif isinstance(value, list) and not is_history(value):
            for element in value:
                if isinstance(element, dict) and "id" in element:
                    child = (*path, (key, element["id"]))
                    yield from _fields_of(element, child)
                    yield from _kept_fields(element, child)
            continue
        else:
            continue
        yield from _fields_of(value, child)
        yield from _kept_fields(value, child)


def _fields_of(node: dict, path: tuple) -> Iterator[tuple[tuple, str, list]]:
    for name in KEPT_FIELDS:
        if is_history(node.get(name)):
            yield path, name, node[name]


def _current(history: list, date: str):
    """The value a field had once the release dated ``date`` was published."""
    values = [version["value"] for version in history if version["releaseDate"] <= date]
    return values[-1] if values else None


def _find(release: dict, path: tuple) -> dict | None:
    node = release
    for step in path:
        if isinstance(step, tuple):
            key, element_id = step
            matches = [e for e in node.get(key) or [] if e.get("id") == element_id]
            node = matches[0] if matches else None
        else:
            node = node.get(step)
        if not isinstance(node, dict):
            return None
    return node


def releases_from_versioned(versioned: dict) -> list[dict]:
    """The releases a versioned release records, in date order."""
    releases: dict[str, dict] = {}
    for path, version in _versions(versioned, ()):
        release = releases.setdefault(
            version["releaseID"],
            {
                "ocid": versioned.get("ocid"),
                "id": version["releaseID"],
                "date": version["releaseDate"],
                "tag": version.get("releaseTag") or [],
            },
        )
        _set(release, path, version["value"])
    ordered = sorted(releases.values(), key=lambda release: release["date"])
    kept = list(_kept_fields(versioned, ()))
    for release in ordered:
        # An object the release changed keeps the fields the schema requires of it, and the
        # release keeps the release-level ones.
        for path, name, history in kept:
            found = _find(release, path)
            if found is not None and name not in found:
                found[name] = _current(history, release["date"])
        for key in CARRIED:
            if key not in release and is_history(versioned.get(key)):
                release[key] = _current(versioned[key], release["date"])
    return ordered
