"""What both halves of workflows stand on: the stage and procedure vocabulary
(``procedures``), the rules of the law (``rules``), currencies and the checks of uploaded files.

Imports nothing else of ``workflows`` (docs/arquitectura.md, «workflows por dentro»).
"""
