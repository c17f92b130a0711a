"""Contracting processes while staff work on them: the process, its stage runs, documents, audit.

A ``ContractingProcess`` is the Mexican procedure (one ocid). Each stage or later event
(planning, tender, award, contract, implementation, amendments, cancellations…) is a Viewflow
process of its own (``StageProcess``) whose one draft is its ``StageDraft`` (the form values);
when an approver publishes it, the OCDS fragment is computed from those values and published as a
release through ``ocds_pages.publication``.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from viewflow.workflow.models import Process

from cms.models import Entity, PurchasingUnit
from workflows.base.procedures import ProcedureType, Stage


class MainProcurementCategory(models.TextChoices):
    GOODS = "goods", _("Bienes (adquisiciones)")
    SERVICES = "services", _("Servicios")
    WORKS = "works", _("Obra pública")


class ContractingProcess(models.Model):
    """One procurement procedure of a purchasing unit: its ocid and the data every stage shares."""

    entity = models.ForeignKey(
        Entity,
        on_delete=models.PROTECT,
        related_name="contracting_processes",
        verbose_name=_("ente público"),
        help_text=_("Ente comprador dueño del proceso."),
    )
    unit = models.ForeignKey(
        PurchasingUnit,
        on_delete=models.PROTECT,
        related_name="contracting_processes",
        verbose_name=_("unidad compradora"),
        help_text=_("Unidad compradora que lleva el procedimiento."),
    )
    ocid = models.CharField(
        _("ocid"),
        max_length=128,
        unique=True,
        help_text=_("Identificador OCDS asignado al crear el proceso; nunca cambia."),
    )
    title = models.CharField(
        _("título"), max_length=300, help_text=_("Nombre corto del procedimiento.")
    )
    description = models.TextField(
        _("descripción"), blank=True, help_text=_("Qué se contrata y para qué.")
    )
    main_procurement_category = models.CharField(
        _("categoría principal"),
        max_length=16,
        choices=MainProcurementCategory.choices,
        help_text=_("mainProcurementCategory de OCDS: bienes, servicios u obra."),
    )
    procedure_type = models.CharField(
        _("tipo de procedimiento"),
        max_length=32,
        choices=ProcedureType.choices,
        help_text=_("Procedimiento de la LAASSP/LOPSRM; determina el procurementMethod OCDS."),
    )
    fiscal_year = models.PositiveSmallIntegerField(
        _("ejercicio fiscal"), help_text=_("Año del presupuesto con que se paga.")
    )
    budget_lines = models.JSONField(
        _("partidas presupuestales"),
        default=list,
        blank=True,
        help_text=_(
            "Lista de partidas: clave (id), descripción y monto en MXN; se publican en la "
            "planeación."
        ),
    )
    replaces = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="replacements",
        verbose_name=_("sustituye a"),
        help_text=_("Procedimiento desierto al que éste sustituye (relatedProcesses)."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("creado por"),
        help_text=_("Capturista que inició el proceso."),
    )
    created_at = models.DateTimeField(
        _("creado"), auto_now_add=True, help_text=_("Cuándo se creó el proceso.")
    )
    closed = models.BooleanField(
        _("concluido"),
        default=False,
        help_text=_("Cancelado, desierto o terminado: ya no admite etapas nuevas."),
    )

    class Meta:
        verbose_name = _("proceso de contratación")
        verbose_name_plural = _("procesos de contratación")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.ocid} {self.title}"


class StageProcess(Process):
    """One run of a stage or event flow of a contracting process: its draft and its outcome."""

    contracting_process = models.ForeignKey(
        ContractingProcess,
        on_delete=models.PROTECT,
        related_name="stage_runs",
        verbose_name=_("proceso de contratación"),
        help_text=_("Procedimiento al que pertenece esta etapa."),
    )
    stage = models.CharField(
        _("etapa"),
        max_length=32,
        choices=Stage.choices,
        help_text=_("Etapa o evento que se captura (determina la etiqueta de la entrega)."),
    )
    stage_draft = models.OneToOneField(
        "workflows.StageDraft",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="stage_process",
        verbose_name=_("borrador del formulario"),
        help_text=_(
            "Lo capturado en el formulario de la etapa, con la versión de la definición con que "
            "se llenó."
        ),
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("enviado por"),
        help_text=_("Quien envió la captura a revisión por última vez; no puede aprobarla."),
    )
    submitted_at = models.DateTimeField(
        _("enviado"), null=True, blank=True, help_text=_("Último envío a revisión.")
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("aprobado por"),
        help_text=_("Quien aprobó y publicó la etapa."),
    )
    approved = models.BooleanField(
        _("aprobada"), default=False, help_text=_("La última revisión aprobó la etapa.")
    )
    return_reason = models.TextField(
        _("motivo de devolución"),
        blank=True,
        help_text=_("Motivo de la última devolución a captura (la historia está en la bitácora)."),
    )
    release_id = models.CharField(
        _("entrega publicada"),
        max_length=255,
        blank=True,
        help_text=_("id de la entrega OCDS publicada al aprobar."),
    )

    class Meta:
        verbose_name = _("etapa de un proceso")
        verbose_name_plural = _("etapas de procesos")

    def __str__(self):
        return f"{self.contracting_process.ocid} · {self.get_stage_display()}"


class AuditAction(models.TextChoices):
    CREATE = "create", _("Creó el proceso")
    START = "start", _("Inició la etapa")
    SAVE_DRAFT = "save_draft", _("Guardó el borrador")
    SUBMIT = "submit", _("Envió a revisión")
    APPROVE = "approve", _("Aprobó y publicó")
    RETURN = "return", _("Devolvió a captura")
    REJECTED = "rejected", _("Intentó publicar; la entrega no es válida")
    UPLOAD = "upload", _("Subió un documento")
    DEADLINE = "deadline", _("Aviso de plazo")
    INTEGRITY_OVERRIDE = "integrity", _("Aprobó con hallazgos de integridad justificados")


class AuditEntry(models.Model):
    """One action on a contracting process: who, when, what and how the draft changed."""

    contracting_process = models.ForeignKey(
        ContractingProcess,
        on_delete=models.PROTECT,
        related_name="audit_entries",
        verbose_name=_("proceso de contratación"),
        help_text=_("Proceso sobre el que se actuó."),
    )
    stage_process = models.ForeignKey(
        StageProcess,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="audit_entries",
        verbose_name=_("etapa"),
        help_text=_("Etapa en la que se actuó, si aplica."),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("persona"),
        help_text=_("Quién actuó (vacío para avisos automáticos de plazos)."),
    )
    action = models.CharField(
        _("acción"), max_length=16, choices=AuditAction.choices, help_text=_("Qué se hizo.")
    )
    at = models.DateTimeField(_("cuándo"), auto_now_add=True, help_text=_("Fecha y hora."))
    reason = models.TextField(
        _("motivo o detalle"),
        blank=True,
        help_text=_("Motivo de una devolución, errores de validación o detalle del aviso."),
    )
    diff = models.JSONField(
        _("cambios al borrador"),
        default=list,
        blank=True,
        help_text=_("Lista de cambios: ruta, valor anterior y valor nuevo."),
    )
    key = models.CharField(
        _("clave de aviso"),
        max_length=200,
        blank=True,
        help_text=_("Para avisos de plazo: evita repetir el mismo aviso."),
    )

    class Meta:
        verbose_name = _("entrada de bitácora")
        verbose_name_plural = _("bitácora")
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["contracting_process", "at"])]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.get_action_display()}"


def document_upload_path(instance, filename):
    # The stored name is a fresh uuid: user-supplied names never reach the file system.
    return f"procesos/{instance.contracting_process.ocid}/{uuid.uuid4().hex}"


class ProcessDocument(models.Model):
    """One version of one document of a process; a new upload of the same id adds a version."""

    contracting_process = models.ForeignKey(
        ContractingProcess,
        on_delete=models.PROTECT,
        related_name="documents",
        verbose_name=_("proceso de contratación"),
        help_text=_("Proceso al que pertenece el documento."),
    )
    stage = models.CharField(
        _("etapa"),
        max_length=32,
        choices=Stage.choices,
        help_text=_("Etapa en cuya entrega se publica el documento."),
    )
    document_id = models.CharField(
        _("id del documento"),
        max_length=64,
        help_text=_("id OCDS del documento; las versiones comparten este id."),
    )
    version = models.PositiveIntegerField(
        _("versión"), help_text=_("1 para la primera carga; cada carga nueva suma uno.")
    )
    public_id = models.UUIDField(
        _("id público"),
        default=uuid.uuid4,
        unique=True,
        editable=False,
        help_text=_("Parte de la URL pública de descarga."),
    )
    title = models.CharField(_("título"), max_length=300, help_text=_("Título del documento."))
    document_type = models.CharField(
        _("tipo de documento"),
        max_length=64,
        help_text=_("Código de la lista documentType de OCDS."),
    )
    file = models.FileField(
        _("archivo"), upload_to=document_upload_path, help_text=_("El archivo tal como se cargó.")
    )
    original_name = models.CharField(
        _("nombre original"), max_length=255, help_text=_("Nombre del archivo de quien lo subió.")
    )
    content_type = models.CharField(
        _("formato"), max_length=100, help_text=_("Tipo MIME comprobado por su contenido.")
    )
    size = models.PositiveBigIntegerField(_("tamaño"), help_text=_("Bytes."))
    sha256 = models.CharField(
        _("SHA-256"), max_length=64, help_text=_("Huella del archivo; se publica con él.")
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("subido por"),
        help_text=_("Quién lo subió."),
    )
    uploaded_at = models.DateTimeField(
        _("subido"), auto_now_add=True, help_text=_("Cuándo se subió.")
    )
    published_in = models.CharField(
        _("publicado en"),
        max_length=255,
        blank=True,
        help_text=_("id de la primera entrega OCDS que lo publicó; vacío si no es público."),
    )

    class Meta:
        verbose_name = _("documento de un proceso")
        verbose_name_plural = _("documentos de procesos")
        ordering = ["stage", "document_id", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["contracting_process", "document_id", "version"],
                name="process_document_unique_version",
            )
        ]

    def __str__(self):
        return f"{self.title} (v{self.version})"


class IntegrityOverride(models.Model):
    """A blocking integrity finding an approver decided to approve over, and why.

    Written in the approval's transaction (``process_services.review_approve``) only when the stage
    is published; the finding is kept as it was shown (name, explanation, evidence), so the OIC
    reads what the approver saw even after the registries or the indicators change.
    """

    contracting_process = models.ForeignKey(
        ContractingProcess,
        on_delete=models.PROTECT,
        related_name="integrity_overrides",
        verbose_name=_("proceso de contratación"),
        help_text=_("Proceso cuya etapa se aprobó con el hallazgo."),
    )
    stage_process = models.ForeignKey(
        StageProcess,
        on_delete=models.PROTECT,
        related_name="integrity_overrides",
        verbose_name=_("etapa"),
        help_text=_("Etapa aprobada a pesar del hallazgo."),
    )
    task = models.ForeignKey(
        "viewflow.Task",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("tarea de revisión"),
        help_text=_("Tarea de revisión en que se decidió la aprobación."),
    )
    release_id = models.CharField(
        _("entrega publicada"),
        max_length=255,
        help_text=_("id de la entrega OCDS que se publicó con esta justificación."),
    )
    code = models.CharField(
        _("indicador"),
        max_length=32,
        help_text=_("Clave del indicador que produjo el hallazgo (p. ej. MX-SANC)."),
    )
    subject = models.CharField(
        _("sujeto"),
        max_length=300,
        blank=True,
        help_text=_("Parte o adjudicación a la que se refiere el hallazgo (vacío si es única)."),
    )
    name = models.CharField(
        _("nombre del indicador"),
        max_length=300,
        help_text=_("Nombre en español del indicador, tal como se mostró."),
    )
    severity = models.CharField(
        _("severidad"),
        max_length=8,
        help_text=_("Severidad del hallazgo al aprobar: high, medium o low."),
    )
    explanation = models.TextField(
        _("explicación"), help_text=_("Explicación del hallazgo tal como la vio quien aprobó.")
    )
    evidence = models.JSONField(
        _("evidencia"),
        default=dict,
        blank=True,
        help_text=_(
            "Copia de la evidencia del hallazgo al aprobar: valores, umbrales y el registro que "
            "coincidió (fuente, fecha de sincronización, tipo de coincidencia)."
        ),
    )
    justification = models.TextField(
        _("justificación"),
        help_text=_("Por qué quien aprobó decidió publicar a pesar del hallazgo."),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("aprobó"),
        help_text=_("Persona aprobadora que escribió la justificación."),
    )
    at = models.DateTimeField(
        _("cuándo"), auto_now_add=True, help_text=_("Fecha y hora de la aprobación.")
    )

    class Meta:
        verbose_name = _("hallazgo de integridad justificado")
        verbose_name_plural = _("hallazgos de integridad justificados")
        ordering = ["at", "pk"]
        indexes = [
            models.Index(fields=["contracting_process", "at"]),
            models.Index(fields=["code", "at"]),
        ]

    def __str__(self):
        return f"{self.code} · {self.contracting_process_id} · {self.at:%Y-%m-%d}"
