"""Registry providers, their sync runs, and the local mirrors of PDN S1/S2/S3 and SAT 69-B.

The mirrors exist so alerts never wait on the network (docs/arquitectura.md, decision 10). Every
mirrored row keeps the provider it came from, when it was fetched, the raw JSON as received and
the normalised keys the matching service compares (RFC, CURP, normalised name).
"""

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from cms.models import Entity


class RegistrySystem(models.TextChoices):
    S1 = "s1", _("S1 · Declaraciones patrimoniales y de intereses")
    S2 = "s2", _("S2 · Servidores públicos que intervienen en contrataciones")
    S3 = "s3", _("S3 · Servidores públicos y particulares sancionados")


class ApiVersion(models.TextChoices):
    V1 = "v1", _("v1")
    V2 = "v2", _("v2")


class RegistryProvider(models.Model):
    """One data provider of a PDN system, configured like the PDN's own endpoints registry."""

    # Synced data references nothing an editor could delete; Wagtail need not index it.
    wagtail_reference_index_ignore = True

    name = models.SlugField(
        _("clave"),
        max_length=60,
        unique=True,
        help_text=_("Clave corta y única del proveedor, p. ej. s3-sfp; se usa en --proveedor."),
    )
    system = models.CharField(
        _("sistema"),
        max_length=2,
        choices=RegistrySystem.choices,
        help_text=_("Sistema de la PDN que publica este proveedor."),
    )
    version = models.CharField(
        _("versión del API"),
        max_length=2,
        choices=ApiVersion.choices,
        default=ApiVersion.V1,
        help_text=_(
            "S2 y S3 v1: POST con paginación y OAuth 2.0; S2 y S3 v2: API Directus con token "
            "fijo; S1 sólo existe en v2 (POST /v2/declaraciones con OAuth 2.0)."
        ),
    )
    level = models.CharField(
        _("orden de gobierno"),
        max_length=10,
        choices=Entity.Level.choices,
        default=Entity.Level.FEDERAL,
        help_text=_("Orden de gobierno de los datos (campo «level» del registro de la PDN)."),
    )
    supplier_name = models.CharField(
        _("institución que provee"),
        max_length=255,
        help_text=_("Nombre de la institución que publica los datos (supplier_name en la PDN)."),
    )
    url = models.URLField(
        _("URL base del API"),
        max_length=500,
        help_text=_(
            "Raíz del API sin la ruta de la especificación: el sistema agrega /v1/spic, "
            "/v1/ssancionados, /v2/declaraciones o /items/<colección>."
        ),
    )
    token_url = models.URLField(
        _("URL del token"),
        max_length=500,
        blank=True,
        help_text=_("S1 y v1 de S2/S3: URL del servicio OAuth 2.0 que entrega el token."),
    )
    username = models.CharField(
        _("usuario"), max_length=150, blank=True, help_text=_("S1 y v1: usuario de OAuth 2.0.")
    )
    password = models.CharField(
        _("contraseña"),
        max_length=255,
        blank=True,
        help_text=_("S1 y v1: contraseña de OAuth 2.0. Nunca se muestra en los listados."),
    )
    client_id = models.CharField(
        _("client_id"),
        max_length=255,
        blank=True,
        help_text=_("S1 y v1: identificador del cliente."),
    )
    client_secret = models.CharField(
        _("client_secret"),
        max_length=255,
        blank=True,
        help_text=_("S1 y v1: secreto del cliente. Nunca se muestra en los listados."),
    )
    scope = models.CharField(
        _("alcance (scope)"),
        max_length=255,
        blank=True,
        help_text=_("Alcances que se piden al token; S1 exige read:declaraciones."),
    )
    token = models.CharField(
        _("token fijo"),
        max_length=1000,
        blank=True,
        help_text=_("S2 y S3 v2: token Bearer fijo de Directus. Nunca se muestra en los listados."),
    )
    collections = models.CharField(
        _("colecciones"),
        max_length=500,
        blank=True,
        help_text=_(
            "S2 y S3 v2, opcional: colecciones Directus separadas por comas; vacío = las de la "
            "especificación del sistema."
        ),
    )
    active = models.BooleanField(
        _("activo"), default=True, help_text=_("Sólo los proveedores activos se sincronizan.")
    )
    last_success_at = models.DateTimeField(
        _("último éxito"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("Cuándo terminó la última sincronización completa."),
    )
    last_error_at = models.DateTimeField(
        _("último error"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("Cuándo falló (o quedó incompleta) la última sincronización."),
    )
    last_error_message = models.TextField(
        _("mensaje del último error"),
        blank=True,
        editable=False,
        help_text=_("Qué falló la última vez, en español."),
    )

    class Meta:
        verbose_name = _("proveedor de registros")
        verbose_name_plural = _("proveedores de registros")
        ordering = ["system", "name"]

    def __str__(self):
        return f"{self.name} ({self.system} {self.version})"


class SyncRun(models.Model):
    """One attempt to mirror a provider; a failed run keeps a checkpoint so the next resumes."""

    wagtail_reference_index_ignore = True

    class Status(models.TextChoices):
        RUNNING = "running", _("en curso")
        OK = "ok", _("completa")
        ERROR = "error", _("con error")
        PARTIAL = "partial", _("incompleta")

    provider = models.ForeignKey(
        RegistryProvider,
        on_delete=models.CASCADE,
        related_name="runs",
        verbose_name=_("proveedor"),
        help_text=_("Proveedor sincronizado."),
    )
    generation = models.UUIDField(
        _("generación"),
        default=uuid.uuid4,
        help_text=_(
            "Igual en una corrida y en las que la reanudan; al terminar completa se borran del "
            "espejo las filas del proveedor de otras generaciones."
        ),
    )
    resumed_from = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reanuda a"),
        help_text=_("Corrida fallida desde cuyo punto de control siguió ésta."),
    )
    started_at = models.DateTimeField(
        _("inicio"), auto_now_add=True, help_text=_("Cuándo empezó la corrida.")
    )
    finished_at = models.DateTimeField(
        _("fin"), null=True, blank=True, help_text=_("Cuándo terminó (vacío si sigue en curso).")
    )
    status = models.CharField(
        _("estado"),
        max_length=10,
        choices=Status.choices,
        default=Status.RUNNING,
        help_text=_("completa, con error o incompleta (se alcanzó el límite de páginas)."),
    )
    pages = models.PositiveIntegerField(
        _("páginas"), default=0, help_text=_("Páginas leídas en esta corrida.")
    )
    rows = models.PositiveIntegerField(
        _("filas"), default=0, help_text=_("Registros guardados en el espejo en esta corrida.")
    )
    checkpoint = models.JSONField(
        _("punto de control"),
        default=dict,
        blank=True,
        help_text=_("Colección y página (v1) o desplazamiento (v2) desde donde reanudar."),
    )
    error_message = models.TextField(
        _("mensaje de error"), blank=True, help_text=_("Qué falló, en español.")
    )

    class Meta:
        verbose_name = _("sincronización")
        verbose_name_plural = _("sincronizaciones")
        ordering = ["-started_at", "-id"]
        indexes = [models.Index(fields=["provider", "-started_at"])]

    def __str__(self):
        return f"{self.provider.name} · {self.started_at:%Y-%m-%d %H:%M} · {self.status}"


class MirrorRow(models.Model):
    """Columns every mirrored record has: where it came from, when, and as what JSON."""

    wagtail_reference_index_ignore = True

    provider = models.ForeignKey(
        RegistryProvider,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("proveedor"),
        help_text=_("Proveedor del que se obtuvo el registro."),
    )
    collection = models.CharField(
        _("colección"),
        max_length=80,
        help_text=_("Endpoint v1 (spic, ssancionados…) o colección Directus v2 de origen."),
    )
    external_id = models.CharField(
        _("id en el origen"), max_length=255, help_text=_("Identificador del registro en el API.")
    )
    generation = models.UUIDField(
        _("generación"), help_text=_("Generación de sincronización que escribió la fila.")
    )
    fetched_at = models.DateTimeField(
        _("obtenido"), help_text=_("Cuándo se descargó el registro del proveedor.")
    )
    raw = models.JSONField(_("JSON original"), help_text=_("El registro tal como llegó del API."))
    rfc = models.CharField(
        _("RFC"), max_length=13, blank=True, help_text=_("RFC normalizado (mayúsculas).")
    )
    curp = models.CharField(
        _("CURP"), max_length=18, blank=True, help_text=_("CURP normalizada (mayúsculas).")
    )
    name = models.CharField(
        _("nombre"), max_length=500, blank=True, help_text=_("Nombre o razón social tal cual.")
    )
    name_normalised = models.CharField(
        _("nombre normalizado"),
        max_length=500,
        blank=True,
        help_text=_("Mayúsculas, sin acentos, signos ni sufijo societario (S.A. DE C.V., A.C.…)."),
    )

    class Meta:
        abstract = True

    def __str__(self):
        return f"{self.name or '—'} ({self.rfc or self.curp or self.external_id})"


def mirror_constraints(prefix):
    """One row per record of a provider's collection: the sync upserts on this key."""
    return [
        models.UniqueConstraint(
            fields=["provider", "collection", "external_id"], name=f"{prefix}_unique_source"
        )
    ]


def mirror_indexes(prefix):
    """The lookups of the matching service, plus the stale-row sweep after a complete sync."""
    return [
        models.Index(fields=["rfc"], name=f"{prefix}_rfc"),
        models.Index(fields=["curp"], name=f"{prefix}_curp"),
        models.Index(fields=["name_normalised"], name=f"{prefix}_name"),
        models.Index(fields=["provider", "generation"], name=f"{prefix}_generation"),
    ]


# The S1 catalogue values the mirror keeps as published, as people read them (the screens of the
# alerts show these; the mirror and the evidence keep the values).
DECLARATION_TYPE_LABELS = {
    "INICIAL": _("inicial"),
    "MODIFICACION": _("de modificación"),
    "MODIFICACIÓN": _("de modificación"),
    "CONCLUSION": _("de conclusión"),
    "CONCLUSIÓN": _("de conclusión"),
}
RELATION_LABELS = {
    "DECLARANTE": _("el propio declarante"),
    "PAREJA": _("su pareja"),
    "DEPENDIENTE_ECONOMICO": _("un dependiente económico"),
}
# S2 v2: where a servant intervened (tipoArea) and in which kind of act (mirrors._s2_v2_acts).
S2_AREA_LABELS = {
    "AREA_RESPONSABLE_EJECUCION": _("área responsable de la ejecución"),
    "AREA_RESPONSABLE_CONTRATACION": _("área responsable de la contratación"),
    "AREA_TECNICA": _("área técnica"),
    "AREA_REQUIRENTE": _("área requirente"),
    "INTEGRANTE_COMITE": _("integrante del comité"),
    "ORGANO_REVISION": _("órgano de revisión"),
    "PARTICIPANTE_ACLARACIONES": _("participante en la junta de aclaraciones"),
    "OTRO": _("otra"),
}
S2_ACT_LABELS = {
    "contratacion": _("contratación de adquisiciones"),
    "obra": _("obra pública"),
    "concesion": _("concesión"),
    "enajenacion": _("enajenación"),
    "avaluo": _("avalúo"),
}
# S3: tipoSancion's keys.
SANCTION_TYPE_LABELS = {
    "I": _("inhabilitación"),
    "M": _("multa"),
    "S": _("suspensión de actividades"),
    "D": _("disolución de la sociedad"),
    "A": _("amonestación"),
    "IND": _("indemnización por daños y perjuicios"),
    "SE": _("sanción económica"),
    "O": _("otra"),
}


class S1Declaration(MirrorRow):
    """A declaration (S1 v2): the declarant, their entity and job."""

    declaration_type = models.CharField(
        _("tipo de declaración"),
        max_length=20,
        blank=True,
        help_text=_("INICIAL, MODIFICACIÓN o CONCLUSIÓN (metadata.tipo)."),
    )
    updated_at_source = models.DateTimeField(
        _("actualizada en el origen"),
        null=True,
        blank=True,
        help_text=_("metadata.actualizacion de la declaración."),
    )
    entity_name = models.CharField(
        _("ente público"), max_length=500, blank=True, help_text=_("nombreEntePublico del empleo.")
    )
    entity_name_normalised = models.CharField(
        _("ente público normalizado"),
        max_length=500,
        blank=True,
        help_text=_("Nombre del ente normalizado, para compararlo con el comprador."),
    )
    job_title = models.CharField(
        _("empleo, cargo o comisión"),
        max_length=500,
        blank=True,
        help_text=_("empleoCargoComision del declarante."),
    )

    class Meta:
        verbose_name = _("declaración (S1)")
        verbose_name_plural = _("declaraciones (S1)")
        constraints = mirror_constraints("s1decl")
        indexes = mirror_indexes("s1decl")


class S1Participation(models.Model):
    """A company in which the declarant (or their partner or dependant) participates."""

    wagtail_reference_index_ignore = True

    declaration = models.ForeignKey(
        S1Declaration,
        on_delete=models.CASCADE,
        related_name="participations",
        verbose_name=_("declaración"),
        help_text=_("Declaración que la reporta."),
    )
    company_name = models.CharField(
        _("empresa, sociedad o asociación"),
        max_length=500,
        blank=True,
        help_text=_("nombreEmpresaSociedadAsociacion."),
    )
    name_normalised = models.CharField(
        _("nombre normalizado"),
        max_length=500,
        blank=True,
        db_index=True,
        help_text=_("Nombre de la empresa normalizado."),
    )
    rfc = models.CharField(
        _("RFC"), max_length=13, blank=True, db_index=True, help_text=_("RFC de la empresa.")
    )
    percentage = models.PositiveSmallIntegerField(
        _("porcentaje"),
        null=True,
        blank=True,
        help_text=_("porcentajeParticipacion (1 a 100)."),
    )
    kind = models.CharField(
        _("tipo de participación"),
        max_length=10,
        blank=True,
        help_text=_("Clave: SCIO socio, ACCI accionista, COMI comisario, REPR representante…"),
    )
    kind_label = models.CharField(
        _("tipo de participación (texto)"),
        max_length=100,
        blank=True,
        help_text=_("Valor del catálogo tal como lo publica el proveedor."),
    )
    relation = models.CharField(
        _("relación"),
        max_length=30,
        blank=True,
        help_text=_("tipoRelacion: DECLARANTE, PAREJA o DEPENDIENTE_ECONOMICO."),
    )
    receives_pay = models.BooleanField(
        _("recibe remuneración"),
        null=True,
        blank=True,
        help_text=_("recibeRemuneracion, si se declaró."),
    )

    class Meta:
        verbose_name = _("participación en empresa (S1)")
        verbose_name_plural = _("participaciones en empresas (S1)")

    def __str__(self):
        return f"{self.company_name} ({self.rfc or '—'}) · {self.percentage or '—'} %"


class S2PublicServant(MirrorRow):
    """A public servant who intervenes in contracting (S2 v1 or v2)."""

    entity_name = models.CharField(
        _("ente público"),
        max_length=500,
        blank=True,
        help_text=_("Institución o ente donde labora."),
    )
    job_title = models.CharField(
        _("puesto"), max_length=500, blank=True, help_text=_("Puesto o denominación del cargo.")
    )
    procedure_types = models.JSONField(
        _("tipos de procedimiento"),
        default=list,
        blank=True,
        help_text=_("Tipos de procedimiento en que interviene (v1: claves 1–5; v2: catálogo)."),
    )
    areas = models.JSONField(
        _("tipos de área"),
        default=list,
        blank=True,
        help_text=_("Áreas en que interviene (técnica, requirente, contratante…)."),
    )

    class Meta:
        verbose_name = _("servidor público (S2)")
        verbose_name_plural = _("servidores públicos (S2)")
        constraints = mirror_constraints("s2serv")
        indexes = mirror_indexes("s2serv")


class S2Procedure(models.Model):
    """A procedure file (numeroExpedienteFolio) in which an S2 v2 servant intervened."""

    wagtail_reference_index_ignore = True

    servant = models.ForeignKey(
        S2PublicServant,
        on_delete=models.CASCADE,
        related_name="procedures",
        verbose_name=_("servidor público"),
        help_text=_("Quién intervino."),
    )
    file_number = models.CharField(
        _("expediente o folio"),
        max_length=255,
        blank=True,
        db_index=True,
        help_text=_("numeroExpedienteFolio del procedimiento."),
    )
    act = models.CharField(
        _("acto"),
        max_length=40,
        blank=True,
        help_text=_("contratación, obra, concesión, enajenación o avalúo."),
    )
    procedure_kind = models.CharField(
        _("tipo de procedimiento"),
        max_length=60,
        blank=True,
        help_text=_("LICITACION_NACIONAL, INVITACION, ADJUDICACION…"),
    )
    subject = models.CharField(
        _("materia"),
        max_length=60,
        blank=True,
        help_text=_("ADQUICISION, ARRENDAMIENTO, SERVICIOS u OTRO (como lo escribe el API)."),
    )
    area = models.CharField(
        _("tipo de área"),
        max_length=60,
        blank=True,
        help_text=_("Área en que intervino, p. ej. AREA_REQUIRENTE."),
    )
    start_date = models.DateField(
        _("inicio"), null=True, blank=True, help_text=_("fechaInicioProcedimiento.")
    )
    end_date = models.DateField(
        _("conclusión"), null=True, blank=True, help_text=_("fechaConclusionProcedimiento.")
    )

    class Meta:
        verbose_name = _("procedimiento (S2)")
        verbose_name_plural = _("procedimientos (S2)")

    def __str__(self):
        return f"{self.file_number or '—'} · {self.act}"


class S2Beneficiary(models.Model):
    """A person or company that benefited from a procedure an S2 v2 servant intervened in."""

    wagtail_reference_index_ignore = True

    servant = models.ForeignKey(
        S2PublicServant,
        on_delete=models.CASCADE,
        related_name="beneficiaries",
        verbose_name=_("servidor público"),
        help_text=_("Servidor que intervino en el procedimiento."),
    )
    name = models.CharField(
        _("nombre o razón social"), max_length=500, help_text=_("Como lo publica el proveedor.")
    )
    name_normalised = models.CharField(
        _("nombre normalizado"),
        max_length=500,
        db_index=True,
        help_text=_("Nombre normalizado para la comparación."),
    )
    file_numbers = models.JSONField(
        _("expedientes"),
        default=list,
        blank=True,
        help_text=_("Expedientes del mismo apartado en que aparece la persona beneficiaria."),
    )

    class Meta:
        verbose_name = _("persona beneficiaria (S2)")
        verbose_name_plural = _("personas beneficiarias (S2)")

    def __str__(self):
        return self.name


class S3Sanction(MirrorRow):
    """A sanction of a public servant or of a private party (S3 v1 or v2)."""

    class Subject(models.TextChoices):
        SERVANT = "servidor", _("servidor público")
        INDIVIDUAL = "fisica", _("persona física")
        COMPANY = "moral", _("persona moral")

    subject = models.CharField(
        _("sancionado"),
        max_length=10,
        choices=Subject.choices,
        help_text=_("Servidor público, particular persona física o persona moral."),
    )
    serious = models.BooleanField(
        _("falta grave"),
        null=True,
        blank=True,
        help_text=_("v2: colección de faltas graves o no graves; vacío en v1."),
    )
    file_number = models.CharField(
        _("expediente"), max_length=255, blank=True, help_text=_("Expediente de la resolución.")
    )
    authority = models.CharField(
        _("autoridad sancionadora"),
        max_length=500,
        blank=True,
        help_text=_("Quién impuso la sanción (o la institución que la registra)."),
    )
    sanction_types = models.JSONField(
        _("tipos de sanción"),
        default=list,
        blank=True,
        help_text=_("Claves de sanción: I/INHABILITACION, M, SE, S, D…"),
    )
    resolution_date = models.DateField(
        _("fecha de resolución"),
        null=True,
        blank=True,
        help_text=_("Fecha de la resolución (o de su notificación)."),
    )

    class Meta:
        verbose_name = _("sanción (S3)")
        verbose_name_plural = _("sanciones (S3)")
        constraints = mirror_constraints("s3sanc")
        indexes = mirror_indexes("s3sanc")


class S3Disqualification(models.Model):
    """An inhabilitación period of a sanction: contracts in it are the alert's concern."""

    wagtail_reference_index_ignore = True

    sanction = models.ForeignKey(
        S3Sanction,
        on_delete=models.CASCADE,
        related_name="disqualifications",
        verbose_name=_("sanción"),
        help_text=_("Sanción que impone la inhabilitación."),
    )
    start = models.DateField(
        _("inicio"), null=True, blank=True, help_text=_("inhabilitacion.fechaInicial.")
    )
    end = models.DateField(
        _("fin"), null=True, blank=True, help_text=_("inhabilitacion.fechaFinal.")
    )
    term = models.CharField(
        _("plazo"),
        max_length=100,
        blank=True,
        help_text=_("Plazo como lo publica el proveedor (texto en v1; años/meses/días en v2)."),
    )

    class Meta:
        verbose_name = _("inhabilitación (S3)")
        verbose_name_plural = _("inhabilitaciones (S3)")

    def __str__(self):
        return f"{self.start or '—'} – {self.end or '—'}"


class Sat69bTaxpayer(models.Model):
    """A taxpayer on SAT's article 69-B list, with its latest situation."""

    wagtail_reference_index_ignore = True

    rfc = models.CharField(
        _("RFC"), max_length=13, unique=True, help_text=_("RFC del contribuyente (llave).")
    )
    name = models.CharField(
        _("nombre del contribuyente"), max_length=500, help_text=_("Como aparece en el listado.")
    )
    name_normalised = models.CharField(
        _("nombre normalizado"),
        max_length=500,
        db_index=True,
        help_text=_("Nombre normalizado para la comparación."),
    )
    status = models.CharField(
        _("situación"),
        max_length=30,
        help_text=_("Situación del contribuyente en el último listado importado."),
    )
    source = models.CharField(
        _("origen"), max_length=500, help_text=_("Archivo o URL del último listado importado.")
    )
    fetched_at = models.DateTimeField(
        _("importado"), help_text=_("Cuándo se importó el último listado que lo contiene.")
    )
    in_latest_list = models.BooleanField(
        _("en el último listado"),
        default=True,
        help_text=_("Falso si el último listado importado ya no lo incluye."),
    )
    raw = models.JSONField(_("fila original"), help_text=_("La fila del CSV con sus encabezados."))

    class Meta:
        verbose_name = _("contribuyente 69-B")
        verbose_name_plural = _("contribuyentes 69-B")
        ordering = ["rfc"]

    def __str__(self):
        return f"{self.rfc} · {self.name}"


class Sat69bEvent(models.Model):
    """One dated step of a taxpayer's 69-B history (presunto, desvirtuado, definitivo…)."""

    wagtail_reference_index_ignore = True

    class Stage(models.TextChoices):
        PRESUMED = "presunto", _("presunto")
        DISPROVED = "desvirtuado", _("desvirtuado")
        DEFINITIVE = "definitivo", _("definitivo")
        FAVOURABLE_RULING = "sentencia_favorable", _("sentencia favorable")

    taxpayer = models.ForeignKey(
        Sat69bTaxpayer,
        on_delete=models.CASCADE,
        related_name="events",
        verbose_name=_("contribuyente"),
        help_text=_("Contribuyente al que se refiere."),
    )
    stage = models.CharField(
        _("etapa"), max_length=20, choices=Stage.choices, help_text=_("Etapa del procedimiento.")
    )
    date = models.DateField(
        _("fecha"),
        null=True,
        blank=True,
        help_text=_("Primera publicación conocida (página del SAT o DOF, la más temprana)."),
    )
    sat_published_on = models.DateField(
        _("publicación SAT"),
        null=True,
        blank=True,
        help_text=_("Publicación en la página del SAT."),
    )
    dof_published_on = models.DateField(
        _("publicación DOF"), null=True, blank=True, help_text=_("Publicación en el DOF.")
    )
    sat_notice = models.CharField(
        _("oficio SAT"),
        max_length=255,
        blank=True,
        help_text=_("Número y fecha del oficio global publicado en la página del SAT."),
    )
    dof_notice = models.CharField(
        _("oficio DOF"),
        max_length=255,
        blank=True,
        help_text=_("Número y fecha del oficio global publicado en el DOF."),
    )
    notice_date = models.DateField(
        _("fecha del oficio"),
        null=True,
        blank=True,
        help_text=_("Fecha leída del texto del oficio («… de fecha 27 de febrero de 2019»)."),
    )

    class Meta:
        verbose_name = _("evento 69-B")
        verbose_name_plural = _("eventos 69-B")
        ordering = ["taxpayer", "date"]
        constraints = [
            models.UniqueConstraint(fields=["taxpayer", "stage"], name="sat69b_event_unique_stage")
        ]

    def __str__(self):
        return f"{self.taxpayer.rfc} · {self.get_stage_display()} · {self.date or '—'}"
