"""Market research tables: unit-price rows, reference data from other publishers, the INPC.

``PriceObservation`` is a projection (docs/arquitectura.md, decision 4): one indexed row per priced
item of an award or contract, derived from a compiled release — this installation's published
records, or another publisher's records loaded as reference data — and rebuilt from them
(``manage.py reconstruir_precios``). Nothing here is ever served as this installation's OCDS.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cms.models import Entity, PurchasingUnit


class Source(models.TextChoices):
    LOCAL = "local", _("Publicado por esta instalación")
    REFERENCE = "reference", _("Dato de referencia de otro publicador")


class ReferenceDataset(models.Model):
    """A set of another publisher's records loaded for market research, never republished."""

    class Kind(models.TextChoices):
        BULK = "bulk", _("Archivo masivo OCDS")
        HARVEST = "harvest", _("Cosecha de una API OCDS")
        S6 = "s6", _("Cosecha del S6 de la PDN")

    name = models.CharField(
        _("nombre"),
        max_length=200,
        unique=True,
        help_text=_("Cómo se cita la fuente en los precios, p. ej. «API OCDS de SHCP»."),
    )
    kind = models.CharField(
        _("tipo"), max_length=10, choices=Kind.choices, help_text=_("Cómo se cargó.")
    )
    url = models.URLField(
        _("dirección"),
        max_length=500,
        blank=True,
        help_text=_("Para una cosecha, la lista de registros de la API OCDS de origen."),
    )
    cursor = models.CharField(
        _("siguiente página"),
        max_length=1000,
        blank=True,
        help_text=_(
            "Dirección de la siguiente página por cosechar; la cosecha se reanuda desde aquí."
        ),
    )
    # The S6 of the PDN asks for an OAuth 2.0 password grant (integraciones/specs/s6-…json).
    token_url = models.URLField(
        _("dirección del token"),
        max_length=500,
        blank=True,
        help_text=_("S6: dirección donde se pide el token OAuth 2.0 (password grant)."),
    )
    username = models.CharField(
        _("usuario"), max_length=200, blank=True, help_text=_("S6: usuario de la PDN.")
    )
    password = models.CharField(
        _("contraseña"),
        max_length=200,
        blank=True,
        help_text=_("S6: contraseña de la PDN. Nunca se muestra."),
    )
    client_id = models.CharField(
        _("client_id"), max_length=200, blank=True, help_text=_("S6: cliente OAuth.")
    )
    client_secret = models.CharField(
        _("client_secret"),
        max_length=200,
        blank=True,
        help_text=_("S6: secreto del cliente OAuth. Nunca se muestra."),
    )
    records = models.PositiveIntegerField(
        _("registros"), default=0, help_text=_("Registros guardados de esta fuente.")
    )
    last_loaded_at = models.DateTimeField(
        _("última carga"), null=True, blank=True, help_text=_("Cuándo se cargó por última vez.")
    )

    class Meta:
        verbose_name = _("fuente de datos de referencia")
        verbose_name_plural = _("fuentes de datos de referencia")

    def __str__(self):
        return self.name


class ReferenceRecord(models.Model):
    """Another publisher's compiled release, kept apart from this installation's records."""

    dataset = models.ForeignKey(
        ReferenceDataset,
        on_delete=models.CASCADE,
        related_name="reference_records",
        verbose_name=_("fuente"),
        help_text=_("De dónde vino."),
    )
    ocid = models.CharField(_("ocid"), max_length=128, help_text=_("ocid en la fuente."))
    compiled_release = models.TextField(
        _("entrega compilada"), help_text=_("compiledRelease en JSON, tal como se recibió.")
    )
    loaded_at = models.DateTimeField(
        _("cargado"), auto_now=True, help_text=_("Cuándo se guardó o actualizó.")
    )

    class Meta:
        verbose_name = _("registro de referencia")
        verbose_name_plural = _("registros de referencia")
        constraints = [
            models.UniqueConstraint(fields=["dataset", "ocid"], name="reference_record_unique")
        ]

    def __str__(self):
        return self.ocid


class PriceObservation(models.Model):
    """One unit price: an item of an award (or of its contract) with who sold it, when and where."""

    source = models.CharField(
        _("origen"),
        max_length=10,
        choices=Source.choices,
        help_text=_("Publicado aquí o dato de referencia de otro publicador."),
    )
    dataset = models.ForeignKey(
        ReferenceDataset,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="prices",
        verbose_name=_("fuente de referencia"),
        help_text=_("Para los datos de referencia, la fuente que los trajo."),
    )
    row_key = models.CharField(
        _("clave de la fila"),
        max_length=600,
        help_text=_(
            "ocid|adjudicación|sección|partida: estable entre reconstrucciones, para que una "
            "exclusión de la canasta siga apuntando a la misma fila."
        ),
    )
    ocid = models.CharField(_("ocid"), max_length=128, help_text=_("Proceso del que viene."))
    entity = models.ForeignKey(
        Entity,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ente público"),
        help_text=_("Ente comprador, si el proceso es de esta instalación."),
    )
    unit = models.ForeignKey(
        PurchasingUnit,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("unidad compradora"),
        help_text=_("Unidad compradora, si se conoce."),
    )
    buyer_name = models.CharField(
        _("comprador"), max_length=500, blank=True, help_text=_("buyer/name.")
    )
    state = models.CharField(
        _("entidad federativa"),
        max_length=4,
        blank=True,
        help_text=_("Clave de la entidad federativa del comprador (la del ente, o su domicilio)."),
    )
    supplier_id = models.CharField(
        _("id del proveedor"), max_length=255, blank=True, help_text=_("parties/id.")
    )
    supplier_rfc = models.CharField(
        _("RFC del proveedor"), max_length=13, blank=True, help_text=_("RFC normalizado.")
    )
    supplier_name = models.CharField(
        _("proveedor"), max_length=500, blank=True, help_text=_("Nombre del proveedor.")
    )
    supplier_key = models.CharField(
        _("clave del proveedor"),
        max_length=500,
        blank=True,
        help_text=_(
            "RFC, o «N:» y el nombre normalizado si no hay RFC: agrupa al mismo proveedor en "
            "distintos procesos y publicadores."
        ),
    )
    classification_scheme = models.CharField(
        _("esquema"), max_length=50, blank=True, help_text=_("items/classification/scheme.")
    )
    classification_id = models.CharField(
        _("clave CUCoP"), max_length=100, blank=True, help_text=_("items/classification/id.")
    )
    family = models.CharField(
        _("familia"),
        max_length=10,
        blank=True,
        help_text=_("Primeros 3 dígitos de la clave CUCoP (partida genérica)."),
    )
    description = models.TextField(_("descripción"), blank=True, help_text=_("items/description."))
    description_folded = models.TextField(
        _("descripción para buscar"),
        blank=True,
        help_text=_("La descripción y la de su clasificación en minúsculas y sin acentos."),
    )
    description_key = models.CharField(
        _("huella de la descripción"),
        max_length=16,
        blank=True,
        help_text=_(
            "MD5 (16 cifras hexadecimales) de la descripción para buscar: une la fila con su "
            "descripción en el catálogo de la búsqueda de partidas (PriceDescription)."
        ),
    )
    unit_name = models.CharField(
        _("unidad de medida"), max_length=255, blank=True, help_text=_("items/unit/name.")
    )
    unit_key = models.CharField(
        _("unidad para agrupar"),
        max_length=255,
        blank=True,
        help_text=_("La unidad en minúsculas y sin acentos: «Caja» y «caja» son la misma."),
    )
    quantity = models.DecimalField(
        _("cantidad"),
        max_digits=22,
        decimal_places=4,
        null=True,
        blank=True,
        help_text=_("items/quantity."),
    )
    unit_price = models.DecimalField(
        _("precio unitario"),
        max_digits=22,
        decimal_places=4,
        help_text=_("items/unit/value/amount."),
    )
    currency = models.CharField(
        _("moneda"), max_length=3, blank=True, help_text=_("items/unit/value/currency.")
    )
    date = models.DateField(
        _("fecha"),
        null=True,
        blank=True,
        help_text=_("Firma del contrato, o fecha de la adjudicación si no hay contrato."),
    )
    year = models.PositiveIntegerField(
        _("año"), null=True, blank=True, help_text=_("Año de la fecha.")
    )
    procurement_method = models.CharField(
        _("procedimiento"), max_length=20, blank=True, help_text=_("tender/procurementMethod.")
    )

    class Meta:
        verbose_name = _("precio unitario observado")
        verbose_name_plural = _("precios unitarios observados")
        # What the searches filter on: an item (and unit, year), a family, a supplier, a process;
        # and the page of a basket: an item's most recent rows first (selectors.price_reference).
        # On PostgreSQL migration 0007 makes price_item_unit_year cover the columns of the
        # statistics, so they are read from the index alone.
        indexes = [
            models.Index(
                fields=["classification_id", "unit_key", "year"], name="price_item_unit_year"
            ),
            models.Index(fields=["classification_id", "-date", "id"], name="price_item_recent"),
            # The page of a text search: the most recent rows, filtered as they come.
            models.Index(fields=["-date", "id"], name="price_recent"),
            # The item search counts the rows of each matching description (indicadores/
            # market/items.py): on PostgreSQL from this index alone.
            models.Index(
                fields=["description_key", "classification_id", "unit_key", "currency"],
                name="price_description",
            ),
            models.Index(fields=["family"], name="price_family"),
            models.Index(fields=["supplier_key"], name="price_supplier"),
            models.Index(fields=["ocid"], name="price_ocid"),
            models.Index(fields=["dataset"], name="price_dataset"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["source", "row_key"], name="price_row_unique")
        ]

    def __str__(self):
        return f"{self.classification_id} {self.unit_price}"


class PriceSummary(models.Model):
    """The statistics of an item's whole basket, kept per CUCoP key (indicadores/market/
    summaries.py): read back while the key's price rows are the ones they were counted from."""

    classification_id = models.CharField(
        _("clave CUCoP"),
        max_length=100,
        unique=True,
        help_text=_("La clave cuyos precios (en pesos, sin otro filtro) se resumieron."),
    )
    prices = models.PositiveIntegerField(
        _("filas de la clave"),
        help_text=_("Cuántas filas de precios tenía la clave (todas las monedas) al resumirla."),
    )
    last_price = models.BigIntegerField(
        _("última fila"),
        help_text=_(
            "El id más alto de esas filas: con el número de filas, la huella que dice si "
            "cambiaron (las filas sólo se agregan y se borran)."
        ),
    )
    statistics = models.JSONField(
        _("estadísticas"),
        help_text=_(
            "Resumen general y por unidad, año, entidad y rango de cantidad (decimales como texto)."
        ),
    )
    # Text, not JSONField: a key's few thousand suppliers are read on every candidate list, and
    # orjson reads them several times faster than the json module a JSONField goes through.
    suppliers = models.TextField(
        _("proveedores"),
        null=True,
        blank=True,
        help_text=_(
            "Lo que suman las filas de cada proveedor de la clave (procesos, compradores, monto, "
            "fechas, mediana, fuentes), de la misma huella, como arreglo JSON de arreglos en el "
            "orden de SupplierTotals; vacío hasta que se piden los proveedores candidatos."
        ),
    )
    computed_at = models.DateTimeField(
        _("calculado"), auto_now=True, help_text=_("Cuándo se contaron estas estadísticas.")
    )

    class Meta:
        verbose_name = _("estadísticas guardadas de una clave")
        verbose_name_plural = _("estadísticas guardadas por clave")

    def __str__(self):
        return self.classification_id


class PriceDescription(models.Model):
    """One way an item was described, per CUCoP key and unit of measure: the catalogue the
    free-text item search reads (indicadores/market/items.py) instead of every price row.

    A row is added with the first price row that carries the description and stays when its
    rows are gone (the search counts the price rows and leaves out descriptions with none);
    ``reconstruir_precios`` rebuilds the catalogue with the prices."""

    classification_id = models.CharField(
        _("clave CUCoP"), max_length=100, blank=True, help_text=_("items/classification/id.")
    )
    family = models.CharField(
        _("familia"), max_length=10, blank=True, help_text=_("Primeros 3 dígitos de la clave.")
    )
    unit_key = models.CharField(
        _("unidad para agrupar"),
        max_length=255,
        blank=True,
        help_text=_("La unidad en minúsculas y sin acentos."),
    )
    unit_name = models.CharField(
        _("unidad de medida"),
        max_length=255,
        blank=True,
        help_text=_("Una de las formas en que los publicadores la escribieron."),
    )
    description = models.TextField(
        _("descripción"),
        blank=True,
        help_text=_("Una de las formas en que los publicadores la escribieron."),
    )
    description_folded = models.TextField(
        _("descripción para buscar"),
        blank=True,
        help_text=_("La descripción y la de su clasificación en minúsculas y sin acentos."),
    )
    description_key = models.CharField(
        _("huella de la descripción"),
        max_length=16,
        help_text=_("La de las filas de precios con esta descripción (PriceObservation)."),
    )

    class Meta:
        verbose_name = _("descripción de partida")
        verbose_name_plural = _("descripciones de partidas")
        constraints = [
            models.UniqueConstraint(
                fields=["classification_id", "unit_key", "description_key"],
                name="price_description_unique",
            )
        ]

    def __str__(self):
        return self.description


class InflationIndex(models.Model):
    """One month of INEGI's Índice Nacional de Precios al Consumidor, loaded from its CSV."""

    year = models.PositiveIntegerField(_("año"), help_text=_("Año del periodo."))
    month = models.PositiveSmallIntegerField(_("mes"), help_text=_("Mes del periodo (1 a 12)."))
    value = models.DecimalField(
        _("índice"), max_digits=12, decimal_places=6, help_text=_("Valor del INPC en el mes.")
    )
    source = models.CharField(
        _("fuente"),
        max_length=300,
        blank=True,
        help_text=_("Archivo de INEGI del que se cargó (nombre y base del índice)."),
    )
    loaded_at = models.DateTimeField(_("cargado"), auto_now=True, help_text=_("Cuándo se cargó."))
    loaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("cargado por"),
        help_text=_("Quién lo cargó (vacío si fue un comando)."),
    )

    class Meta:
        verbose_name = _("INPC mensual")
        verbose_name_plural = _("INPC mensual")
        ordering = ["year", "month"]
        constraints = [
            models.UniqueConstraint(fields=["year", "month"], name="inflation_month_unique")
        ]

    def __str__(self):
        return f"{self.year}-{self.month:02d}: {self.value}"


class Method(models.TextChoices):
    MEDIAN = "median", _("Mediana de los precios válidos")
    MEAN = "mean", _("Media de los precios válidos (sin atípicos)")
    LOWEST = "lowest", _("Precio válido más bajo")


class MarketStudy(models.Model):
    """A purchasing unit's market research for one need: its search, exclusions and reports."""

    entity = models.ForeignKey(
        Entity,
        on_delete=models.PROTECT,
        related_name="market_studies",
        verbose_name=_("ente público"),
        help_text=_("Ente que hace la investigación; sólo su personal la ve."),
    )
    process = models.ForeignKey(
        "workflows.ContractingProcess",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="market_studies",
        verbose_name=_("proceso de contratación"),
        help_text=_("Proceso cuya etapa de planeación recibe el reporte, si ya existe."),
    )
    title = models.CharField(
        _("necesidad"),
        max_length=300,
        help_text=_("Qué se necesita comprar, p. ej. «Paracetamol 500 mg para el 2.º semestre»."),
    )
    quantity = models.DecimalField(
        _("cantidad requerida"),
        max_digits=22,
        decimal_places=4,
        null=True,
        blank=True,
        help_text=_("Cantidad que se piensa comprar, en la unidad de la búsqueda."),
    )
    search = models.JSONField(
        _("búsqueda"),
        default=dict,
        help_text=_(
            "Parámetros de la búsqueda de precios (clasificacion, familia, texto, unidad, anio, "
            "estado, cantidad_min, cantidad_max, inpc), como en la API de mercado."
        ),
    )
    method = models.CharField(
        _("método"),
        max_length=10,
        choices=Method.choices,
        default=Method.MEDIAN,
        help_text=_("Cómo se obtiene el precio de referencia de la canasta."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("creada por"),
        help_text=_("Quién inició la investigación."),
    )
    created_at = models.DateTimeField(_("creada"), auto_now_add=True, help_text=_("Alta."))
    updated_at = models.DateTimeField(_("modificada"), auto_now=True, help_text=_("Último cambio."))

    class Meta:
        verbose_name = _("investigación de mercado")
        verbose_name_plural = _("investigaciones de mercado")
        ordering = ["-updated_at"]
        indexes = [models.Index(fields=["entity", "-updated_at"], name="study_entity_recent")]

    def __str__(self):
        return self.title


class Exclusion(models.Model):
    """A price row or a supplier left out of a study's basket, and why."""

    class Kind(models.TextChoices):
        ROW = "row", _("Precio")
        SUPPLIER = "supplier", _("Proveedor")

    study = models.ForeignKey(
        MarketStudy,
        on_delete=models.CASCADE,
        related_name="exclusions",
        verbose_name=_("investigación"),
        help_text=_("Investigación a cuya canasta se aplica."),
    )
    kind = models.CharField(
        _("qué"), max_length=10, choices=Kind.choices, help_text=_("Un precio o un proveedor.")
    )
    key = models.CharField(
        _("clave"),
        max_length=600,
        help_text=_("Clave de la fila de precio, o clave del proveedor (RFC o nombre)."),
    )
    label = models.CharField(
        _("descripción"), max_length=500, help_text=_("Qué se excluyó, para leerlo en el reporte.")
    )
    reason = models.TextField(_("motivo"), help_text=_("Por qué se excluye; va en el reporte."))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("excluido por"),
        help_text=_("Quién lo excluyó."),
    )
    created_at = models.DateTimeField(_("excluido"), auto_now_add=True, help_text=_("Cuándo."))

    class Meta:
        verbose_name = _("exclusión de la canasta")
        verbose_name_plural = _("exclusiones de la canasta")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["study", "kind", "key"], name="exclusion_unique")
        ]

    def __str__(self):
        return self.label


class MarketReport(models.Model):
    """One generated market-research report: its files, their SHA-256 and its data's."""

    study = models.ForeignKey(
        MarketStudy,
        on_delete=models.CASCADE,
        related_name="reports",
        verbose_name=_("investigación"),
        help_text=_("Investigación de la que se generó."),
    )
    created_at = models.DateTimeField(
        _("generado"), auto_now_add=True, help_text=_("Cuándo se generó.")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("generado por"),
        help_text=_("Quién lo generó."),
    )
    method = models.CharField(
        _("método"), max_length=10, choices=Method.choices, help_text=_("Método usado.")
    )
    reference_price = models.DecimalField(
        _("precio de referencia"),
        max_digits=22,
        decimal_places=4,
        null=True,
        blank=True,
        help_text=_("Precio de referencia del reporte; vacío si la canasta no alcanzó 5 precios."),
    )
    unit_key = models.CharField(
        _("unidad"),
        max_length=255,
        blank=True,
        help_text=_("Unidad de medida de la canasta, si es una sola (para comparar al adjudicar)."),
    )
    classification_id = models.CharField(
        _("clave CUCoP"),
        max_length=100,
        blank=True,
        help_text=_("Clave CUCoP buscada, si la búsqueda fue por clave."),
    )
    data_sha256 = models.CharField(
        _("SHA-256 de los datos"),
        max_length=64,
        help_text=_("Huella de la parte de datos: igual si se regenera con las mismas entradas."),
    )
    data = models.JSONField(
        _("datos"),
        default=dict,
        blank=True,
        help_text=_(
            "La parte de datos del reporte (su huella es la de arriba); de ella salen las "
            "cotizaciones que se publican con la planeación (requestsForQuotes)."
        ),
    )
    pdf = models.BinaryField(_("PDF"), help_text=_("El reporte en PDF."))
    pdf_sha256 = models.CharField(_("SHA-256 del PDF"), max_length=64, help_text=_("Huella."))
    xlsx = models.BinaryField(_("XLSX"), help_text=_("El reporte en hoja de cálculo."))
    xlsx_sha256 = models.CharField(_("SHA-256 del XLSX"), max_length=64, help_text=_("Huella."))
    document = models.ForeignKey(
        "workflows.ProcessDocument",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("documento del proceso"),
        help_text=_("Documento de la etapa de planeación al que se adjuntó el PDF."),
    )

    class Meta:
        verbose_name = _("reporte de investigación de mercado")
        verbose_name_plural = _("reportes de investigación de mercado")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["classification_id"], name="report_classification")]

    def __str__(self):
        return f"{self.study} · {self.data_sha256[:12]}"
