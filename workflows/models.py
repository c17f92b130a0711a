"""Models of the workflows app. Each concept lives in its own module; Django finds them here."""

from workflows.process_models import (  # noqa: F401  (re-exported for Django's model registry)
    AuditEntry,
    ContractingProcess,
    ProcessDocument,
    StageProcess,
)
