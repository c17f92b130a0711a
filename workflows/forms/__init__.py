"""The stage forms: their definitions and frozen versions, the engine that turns a version into a
Django form and into OCDS, the drafts filled with them, the catalogues and the Wagtail preview.

Imports ``workflows.base`` only, never ``workflows.processes`` (docs/arquitectura.md,
«workflows por dentro»).
"""
