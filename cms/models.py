"""The platform: public entities, their purchasing units, who belongs where and with which role.

Everything that belongs to an entity carries a foreign key to :class:`Entity`; ``cms.tenancy``
is the one place that turns a user's memberships into the rows they may read or write.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from oauth2_provider.models import AbstractApplication
from wagtail.api import APIField
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from cms.blocks import BodyBlock
from cms.roles import Role

RFC_PATTERN = r"^[A-ZÑ&]{3,4}\d{6}[A-Z\d]{3}$"
rfc_validator = RegexValidator(
    RFC_PATTERN,
    _("El RFC debe tener 12 (persona moral) o 13 (persona física) caracteres válidos."),
)
entity_key_validator = RegexValidator(
    r"^[A-Za-z0-9]{2,20}$",
    _("La clave sólo admite letras y números (2 a 20), sin espacios ni guiones."),
)


class Entity(models.Model):
    """Ente público: the body that buys and publishes (dependencia, organismo, municipio…)."""

    class Level(models.TextChoices):
        FEDERAL = "federal", _("Federal")
        STATE = "estatal", _("Estatal")
        MUNICIPAL = "municipal", _("Municipal")

    class State(models.TextChoices):
        AGS = "AGS", "Aguascalientes"
        BC = "BC", "Baja California"
        BCS = "BCS", "Baja California Sur"
        CAMP = "CAMP", "Campeche"
        COAH = "COAH", "Coahuila de Zaragoza"
        COL = "COL", "Colima"
        CHIS = "CHIS", "Chiapas"
        CHIH = "CHIH", "Chihuahua"
        CDMX = "CDMX", "Ciudad de México"
        DGO = "DGO", "Durango"
        GTO = "GTO", "Guanajuato"
        GRO = "GRO", "Guerrero"
        HGO = "HGO", "Hidalgo"
        JAL = "JAL", "Jalisco"
        MEX = "MEX", "Estado de México"
        MICH = "MICH", "Michoacán de Ocampo"
        MOR = "MOR", "Morelos"
        NAY = "NAY", "Nayarit"
        NL = "NL", "Nuevo León"
        OAX = "OAX", "Oaxaca"
        PUE = "PUE", "Puebla"
        QRO = "QRO", "Querétaro"
        QROO = "QROO", "Quintana Roo"
        SLP = "SLP", "San Luis Potosí"
        SIN = "SIN", "Sinaloa"
        SON = "SON", "Sonora"
        TAB = "TAB", "Tabasco"
        TAMS = "TAMS", "Tamaulipas"
        TLAX = "TLAX", "Tlaxcala"
        VER = "VER", "Veracruz de Ignacio de la Llave"
        YUC = "YUC", "Yucatán"
        ZAC = "ZAC", "Zacatecas"

    name = models.CharField(_("nombre"), max_length=255, help_text=_("Nombre oficial completo."))
    acronym = models.CharField(
        _("siglas"), max_length=30, blank=True, help_text=_("Siglas de uso común, p. ej. IMSS.")
    )
    key = models.CharField(
        _("clave"),
        max_length=20,
        unique=True,
        validators=[entity_key_validator],
        help_text=_(
            "Clave única y estable del ente; forma parte del ocid de sus procesos y no se "
            "puede cambiar una vez publicado un proceso."
        ),
    )
    level = models.CharField(
        _("orden de gobierno"),
        max_length=10,
        choices=Level.choices,
        help_text=_("Federal, estatal o municipal."),
    )
    state = models.CharField(
        _("entidad federativa"),
        max_length=4,
        choices=State.choices,
        blank=True,
        help_text=_("Obligatoria para entes estatales y municipales."),
    )
    rfc = models.CharField(
        _("RFC"),
        max_length=13,
        blank=True,
        validators=[rfc_validator],
        help_text=_("RFC del ente (persona moral, 12 caracteres)."),
    )
    active = models.BooleanField(
        _("activo"), default=True, help_text=_("Un ente inactivo no puede iniciar procesos.")
    )
    created_at = models.DateTimeField(_("alta"), auto_now_add=True, help_text=_("Fecha de alta."))

    class Meta:
        verbose_name = _("ente público")
        verbose_name_plural = _("entes públicos")
        ordering = ["name"]

    def __str__(self):
        return f"{self.name} ({self.acronym})" if self.acronym else self.name

    def clean(self):
        if self.level != self.Level.FEDERAL and not self.state:
            raise ValidationError(
                {"state": _("Indique la entidad federativa de un ente estatal o municipal.")}
            )
        if self.rfc:
            self.rfc = self.rfc.upper()


class PurchasingUnit(models.Model):
    """Unidad compradora: the area of an entity that runs contracting processes."""

    entity = models.ForeignKey(
        Entity,
        on_delete=models.PROTECT,
        related_name="units",
        verbose_name=_("ente público"),
        help_text=_("Ente al que pertenece la unidad."),
    )
    key = models.CharField(
        _("clave"),
        max_length=20,
        unique=True,
        validators=[
            RegexValidator(
                r"^[A-Z0-9]{6,20}$",
                _(
                    "La clave de unidad compradora sólo admite mayúsculas y números, "
                    "p. ej. 050GYR047."
                ),
            )
        ],
        help_text=_("Clave de la unidad compradora como en CompraNet, p. ej. 050GYR047."),
    )
    name = models.CharField(_("nombre"), max_length=255, help_text=_("Nombre de la unidad."))
    active = models.BooleanField(
        _("activa"), default=True, help_text=_("Una unidad inactiva no puede iniciar procesos.")
    )

    class Meta:
        verbose_name = _("unidad compradora")
        verbose_name_plural = _("unidades compradoras")
        ordering = ["entity__name", "name"]

    def __str__(self):
        return f"{self.key} · {self.name}"


class Membership(models.Model):
    """A user's role in one entity (and, for purchasing staff, one unit)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("usuario"),
        help_text=_("Persona usuaria."),
    )
    entity = models.ForeignKey(
        Entity,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("ente público"),
        help_text=_("Ente en el que la persona tiene este rol."),
    )
    unit = models.ForeignKey(
        PurchasingUnit,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="memberships",
        verbose_name=_("unidad compradora"),
        help_text=_(
            "Obligatoria para capturistas; opcional para aprobadores (vacía = todo el ente)."
        ),
    )
    role = models.CharField(
        _("rol"), max_length=20, choices=Role.choices, help_text=_("Qué puede hacer en el ente.")
    )
    created_at = models.DateTimeField(_("alta"), auto_now_add=True, help_text=_("Fecha de alta."))

    class Meta:
        verbose_name = _("membresía")
        verbose_name_plural = _("membresías")
        ordering = ["entity__name", "user__username"]
        # Two partial constraints instead of nulls_distinct=False, which SQLite does not enforce.
        constraints = [
            models.UniqueConstraint(
                fields=["user", "entity", "unit", "role"],
                condition=models.Q(unit__isnull=False),
                name="membership_unique_unit_role",
            ),
            models.UniqueConstraint(
                fields=["user", "entity", "role"],
                condition=models.Q(unit__isnull=True),
                name="membership_unique_entity_role",
            ),
        ]
        indexes = [models.Index(fields=["user", "role"])]

    def __str__(self):
        where = self.unit.key if self.unit_id else self.entity.key
        return f"{self.user} · {self.get_role_display()} · {where}"

    def clean(self):
        if self.unit_id and self.entity_id and self.unit.entity_id != self.entity_id:
            raise ValidationError({"unit": _("La unidad compradora no pertenece a ese ente.")})
        if self.role == Role.CAPTURISTA and not self.unit_id:
            raise ValidationError({"unit": _("Un capturista debe pertenecer a una unidad.")})


class OAuthClient(AbstractApplication):
    """An OAuth 2.0 client (the PDN, a third-party app), registered by an entity or nationally."""

    entity = models.ForeignKey(
        Entity,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="oauth_clients",
        verbose_name=_("ente público"),
        help_text=_("Ente que registró el cliente; vacío para clientes nacionales."),
    )
    allowed_scopes = models.CharField(
        _("alcances permitidos"),
        max_length=100,
        default="read",
        help_text=_(
            "Alcances que el cliente puede pedir, separados por espacios: read s6 alertas."
        ),
    )
    pdn_protocol = models.BooleanField(
        _("protocolo PDN"),
        default=False,
        help_text=_(
            "Permite la concesión por contraseña (password grant) que usa el cliente de la PDN. "
            "Actívelo sólo para la PDN: las buenas prácticas (RFC 9700) la desaconsejan."
        ),
    )

    class Meta(AbstractApplication.Meta):
        swappable = "OAUTH2_PROVIDER_APPLICATION_MODEL"
        verbose_name = _("cliente OAuth")
        verbose_name_plural = _("clientes OAuth")

    def allowed_scope_set(self):
        return set(self.allowed_scopes.split())


class LoginThrottle(models.Model):
    """Consecutive failed logins or client secrets (brute-force protection, cms.login_throttle)."""

    key = models.CharField(
        max_length=200,
        unique=True,
        help_text=_(
            "Qué se cuenta: 'par:<dirección>|<usuario>', 'usuario:<usuario>' o "
            "'cliente:<dirección>|<client_id>'."
        ),
    )
    failures = models.PositiveIntegerField(default=0, help_text=_("Fallos seguidos."))
    locked_until = models.DateTimeField(
        null=True, blank=True, help_text=_("Hasta cuándo se rechazan los accesos.")
    )
    last_failure_at = models.DateTimeField(auto_now=True, help_text=_("Último fallo."))

    class Meta:
        verbose_name = _("bloqueo de acceso")
        verbose_name_plural = _("bloqueos de acceso")

    def __str__(self):
        return self.key


class HomePage(Page):
    """Portada del sitio público: editable welcome text and body, published figures (through the
    ``ocds_public`` template tags of ocds_pages) and the search box."""

    intro = models.TextField(
        _("introducción"), blank=True, help_text=_("Texto de bienvenida de la portada.")
    )
    body = StreamField(
        BodyBlock(),
        blank=True,
        use_json_field=True,
        verbose_name=_("contenido"),
        help_text=_("Contenido libre bajo las cifras: avisos, enlaces a la ayuda, etc."),
    )

    content_panels = [*Page.content_panels, "intro", "body"]
    search_fields = [*Page.search_fields, index.SearchField("intro"), index.SearchField("body")]
    api_fields = [APIField("intro"), APIField("body")]
    subpage_types = ["cms.ContentPage"]
    max_count = 1

    class Meta:
        verbose_name = _("portada")


class ContentPage(Page):
    """A page editors write: help, publication policy, data licence, about."""

    intro = models.TextField(
        _("entradilla"),
        blank=True,
        help_text=_("Una o dos frases que resumen la página; se muestran destacadas."),
    )
    body = StreamField(
        BodyBlock(),
        blank=True,
        use_json_field=True,
        verbose_name=_("contenido"),
        help_text=_("Encabezados, párrafos y avisos de la página."),
    )

    content_panels = [*Page.content_panels, "intro", "body"]
    search_fields = [*Page.search_fields, index.SearchField("intro"), index.SearchField("body")]
    api_fields = [APIField("intro"), APIField("body")]
    parent_page_types = ["cms.HomePage", "cms.ContentPage"]
    subpage_types = ["cms.ContentPage"]

    class Meta:
        verbose_name = _("página de contenido")
        verbose_name_plural = _("páginas de contenido")


class Job(models.Model):
    """One run of a long job (registry sync, import, export, recompute…): cms/jobs.py runs it.

    The row is the job's whole story — who asked, with what parameters, how far it got, what it
    produced and what went wrong — so staff follow it in the admin while a worker (or, without a
    broker, a thread of the web process) does the work (docs/arquitectura.md, decisión 12).
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("En espera")
        RUNNING = "running", _("En curso")
        DONE = "done", _("Terminado")
        FAILED = "failed", _("Con errores")

    class Origin(models.TextChoices):
        ADMIN = "admin", _("Administración")
        COMMAND = "command", _("Comando")
        SCHEDULE = "schedule", _("Programado")

    kind = models.CharField(
        max_length=60, help_text=_("Tipo de trabajo (clave registrada en cms.jobs).")
    )
    status = models.CharField(
        max_length=10,
        choices=Status.choices,
        default=Status.PENDING,
        help_text=_("En espera, en curso, terminado o con errores."),
    )
    origin = models.CharField(
        max_length=10,
        choices=Origin.choices,
        default=Origin.ADMIN,
        help_text=_("Desde dónde se inició."),
    )
    parameters = models.JSONField(
        default=dict, blank=True, help_text=_("Parámetros con que se inició.")
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="jobs",
        help_text=_("Quién lo inició (vacío si fue programado o desde la consola)."),
    )
    entity = models.ForeignKey(
        Entity,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="jobs",
        help_text=_("Ente al que pertenece el trabajo; vacío si es de toda la instalación."),
    )
    created_at = models.DateTimeField(auto_now_add=True, help_text=_("Cuándo se pidió."))
    started_at = models.DateTimeField(null=True, blank=True, help_text=_("Cuándo empezó."))
    finished_at = models.DateTimeField(null=True, blank=True, help_text=_("Cuándo terminó."))
    progress_done = models.BigIntegerField(default=0, help_text=_("Unidades procesadas."))
    progress_total = models.BigIntegerField(
        null=True, blank=True, help_text=_("Unidades por procesar, si se conocen.")
    )
    progress_note = models.CharField(
        max_length=200, blank=True, help_text=_("Qué está haciendo en este momento.")
    )
    summary = models.TextField(blank=True, help_text=_("Resumen del resultado, en español."))
    result = models.JSONField(
        default=dict, blank=True, help_text=_("Resultado en datos (cifras, archivos).")
    )
    error_message = models.TextField(blank=True, help_text=_("Errores, si los hubo."))
    task_id = models.CharField(
        max_length=64, blank=True, help_text=_("Identificador de la tarea en la cola.")
    )

    class Meta:
        verbose_name = _("trabajo")
        verbose_name_plural = _("trabajos")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["-created_at"], name="cms_job_created"),
            models.Index(fields=["entity", "-created_at"], name="cms_job_entity_created"),
            models.Index(fields=["kind", "status"], name="cms_job_kind_status"),
        ]

    def __str__(self):
        return f"{self.kind} #{self.pk}"

    @property
    def percent(self) -> int | None:
        """Progress as a whole percentage, when the total is known."""
        if not self.progress_total:
            return 100 if self.status == self.Status.DONE else None
        return min(100, int(100 * self.progress_done / self.progress_total))

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)
