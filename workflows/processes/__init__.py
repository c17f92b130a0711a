"""The contracting processes: their models, the Viewflow stage flows, the process services
(capture, review, publication of each stage), releases, audit, deadlines, integrity and the staff
screens.

May import ``workflows.forms`` and ``workflows.base``; neither imports it back
(docs/arquitectura.md, «workflows por dentro»).
"""
