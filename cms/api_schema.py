"""drf-spectacular hooks."""


def only_project_endpoints(endpoints, **kwargs):
    """Document our API only: Wagtail's admin and pages APIs are not part of this contract.

    The S6 endpoints also answer with a final slash; only the PDN spec's spelling is documented.
    """
    return [
        endpoint
        for endpoint in endpoints
        if endpoint[0].startswith("/api/")
        and not endpoint[0].startswith("/api/v2/")
        and not (endpoint[0].startswith("/api/s6/") and endpoint[0].endswith("/"))
    ]
