"""The models of the workflows app, as Django loads them (``app_label`` ``workflows``).

They live in the two sub-packages (docs/arquitectura.md, «workflows por dentro»): the stage form
definitions, their drafts and catalogues in ``workflows.forms.form_models``, the contracting
processes and their stages in ``workflows.processes.process_models``. This module only gathers
them; code inside ``workflows`` imports them from where they live.
"""

from workflows.forms.form_models import (  # noqa: F401  (Django loads the app's models from here)
    CucopItem,
    DocumentType,
    DraftFile,
    FormDefinition,
    FormVersion,
    LegalJustification,
    LegalJustificationQuerySet,
    StageDraft,
    UnitOfMeasure,
)
from workflows.processes.process_models import (  # noqa: F401
    AuditAction,
    AuditEntry,
    ContractingProcess,
    IntegrityOverride,
    MainProcurementCategory,
    ProcessDocument,
    StageProcess,
)
