"""drf-spectacular hooks."""


def only_project_endpoints(endpoints, **kwargs):
    """Document our API only: Wagtail's admin and pages APIs are not part of this contract."""
    return [
        endpoint
        for endpoint in endpoints
        if endpoint[0].startswith("/api/") and not endpoint[0].startswith("/api/v2/")
    ]
