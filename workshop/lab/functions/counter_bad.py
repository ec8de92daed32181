"""WRONG on purpose: keeps a running total in a module global, as if one environment served every request."""

TOTAL = {"views": 0}


def handler(event, context):
    """Add the event's views to this environment's own total and return it (not the real total)."""
    TOTAL["views"] += int(event.get("views", 1))
    return {"total": TOTAL["views"]}
