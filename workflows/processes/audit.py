"""The audit log: every action on a process, with the change it made to the draft."""

from workflows.processes.process_models import AuditEntry

MISSING = "∅"  # shown for a value that did not exist on one side of the change


def draft_diff(before, after, path: str = "") -> list[dict]:
    """Leaf-level changes between two drafts: ``[{"path", "before", "after"}]``."""
    if isinstance(before, dict) and isinstance(after, dict):
        changes = []
        for key in sorted(set(before) | set(after), key=str):
            child = f"{path}/{key}" if path else str(key)
            changes += draft_diff(before.get(key, MISSING), after.get(key, MISSING), child)
        return changes
    if isinstance(before, list) and isinstance(after, list) and len(before) == len(after):
        changes = []
        for index, (old, new) in enumerate(zip(before, after, strict=True)):
            changes += draft_diff(old, new, f"{path}/{index}")
        return changes
    if before == after:
        return []
    return [{"path": path, "before": before, "after": after}]


def record(*, process, action, user=None, stage_process=None, reason="", diff=None, key=""):
    return AuditEntry.objects.create(
        contracting_process=process,
        stage_process=stage_process,
        user=user,
        action=action,
        reason=reason,
        diff=diff or [],
        key=key,
    )


def net_changes(diffs) -> list[dict]:
    """Several successive diffs folded into one: each path's first «before» and last «after».

    A value changed and later put back is no change at all.
    """
    folded: dict[str, dict] = {}
    for diff in diffs:
        for change in diff:
            path = change["path"]
            if path in folded:
                folded[path]["after"] = change["after"]
            else:
                folded[path] = dict(change)
    return [change for change in folded.values() if change["before"] != change["after"]]
