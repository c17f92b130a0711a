"""The long jobs of the market research (cms.jobs): rebuilding the price rows, harvesting
reference data and loading INEGI's INPC."""

from pathlib import Path

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cms.jobs import JobError, JobKind, JobOutcome, register
from indicadores.market import inflation, reference, services
from indicadores.market.models import InflationIndex, ReferenceDataset


def run_rebuild(job, progress) -> JobOutcome:
    progress.set_total(services.rebuild_total())
    counts = services.rebuild(progress=progress.advance)
    return JobOutcome(summary=services.rebuild_summary(counts), result=counts)


register(
    JobKind(
        key="reconstruir_precios",
        label=gettext_lazy("Reconstruir precios unitarios"),
        description=gettext_lazy(
            "Rehace la tabla de precios unitarios de la investigación de mercado a partir de los "
            "registros publicados y de los datos de referencia."
        ),
        run=run_rebuild,
        command="reconstruir_precios",
    )
)


class HarvestForm(forms.Form):
    url = forms.URLField(
        assume_scheme="https",
        label=gettext_lazy("Lista de registros OCDS"),
        help_text=gettext_lazy("p. ej. https://otra.example.org/api/ocds/records/"),
    )
    name = forms.CharField(label=gettext_lazy("Nombre de la fuente"), max_length=200)


def run_harvest(job, progress) -> JobOutcome:
    url, name = job.parameters["url"], job.parameters["name"]
    dataset, _created = ReferenceDataset.objects.get_or_create(
        name=name, defaults={"kind": ReferenceDataset.Kind.HARVEST, "url": url}
    )
    if dataset.url != url:
        dataset.url, dataset.cursor = url, ""
        dataset.save(update_fields=["url", "cursor"])
    progress.set_total(None)
    try:
        kept = reference.harvest(dataset, progress=progress.advance)
    except reference.HarvestError as error:
        raise JobError(str(error)) from error
    summary = _("«%(name)s»: %(kept)s procesos guardados; %(total)s en total.") % {
        "name": dataset.name,
        "kept": kept,
        "total": dataset.records,
    }
    return JobOutcome(summary=summary, result={"kept": kept, "records": dataset.records})


register(
    JobKind(
        key="cosechar_referencia",
        label=gettext_lazy("Cosechar datos de referencia"),
        description=gettext_lazy(
            "Recorre la API OCDS de otra instalación y guarda sus procesos como datos de "
            "referencia de la investigación de mercado; se reanuda donde se quedó y puede "
            "programarse."
        ),
        run=run_harvest,
        form_class=HarvestForm,
        command="cosechar_referencia",
    )
)


class InflationForm(forms.Form):
    """The INPC upload: the file is read and checked here, so an invalid one starts no job."""

    archivo = forms.FileField(
        label=gettext_lazy("CSV del INPC de INEGI"),
        help_text=gettext_lazy(
            "Serie mensual del Índice Nacional de Precios al Consumidor exportada del Banco de "
            "Información Económica (filas «2024/01,134.071» o «Ene 2024,134.071»). Reemplaza "
            "la tabla cargada; si el archivo no es válido, la tabla queda como estaba."
        ),
    )

    def clean_archivo(self):
        upload = self.cleaned_data["archivo"]
        content = upload.read(inflation.MAX_BYTES + 1)
        upload.seek(0)
        try:
            inflation.read_table(content)
        except inflation.InflationFileError as error:
            raise forms.ValidationError(str(error)) from error
        return upload


def run_inflation(job, progress) -> JobOutcome:
    path = Path(job.parameters["archivo"])
    try:
        values = inflation.read_table(path.read_bytes())
    except (OSError, inflation.InflationFileError) as error:
        raise JobError(str(error)) from error
    progress.set_total(len(values))
    before = InflationIndex.objects.count()
    count = inflation.load(values, source=path.name, user=job.requested_by)
    progress.advance(count)
    first, last = min(values), max(values)
    result = {
        "months": count,
        "first": f"{first[0]}-{first[1]:02d}",
        "last": f"{last[0]}-{last[1]:02d}",
    }
    summary = _(
        "INPC: %(months)s meses cargados, de %(first)s a %(last)s (reemplazan los %(before)s "
        "meses que había)."
    ) % (result | {"before": before})
    return JobOutcome(summary=summary, result=result | {"replaced": before})


register(
    JobKind(
        key="importar_inpc",
        label=gettext_lazy("Cargar INPC de INEGI"),
        description=gettext_lazy(
            "Carga el Índice Nacional de Precios al Consumidor con que la investigación de "
            "mercado lleva los precios a un mismo mes. La instalación no trae INPC: sin él no se "
            "ajusta nada y se dice."
        ),
        run=run_inflation,
        form_class=InflationForm,
        command="importar_inpc",
    )
)


class S6HarvestForm(forms.Form):
    """Where the PDN's S6 answers and with which account; blank secrets keep the stored ones."""

    name = forms.CharField(label=gettext_lazy("Nombre de la fuente"), max_length=200)
    url = forms.URLField(
        assume_scheme="https",
        label=gettext_lazy("API S6 de contrataciones abiertas"),
        help_text=gettext_lazy("p. ej. https://api.example.org/v1/contrataciones-abiertas"),
    )
    token_url = forms.URLField(
        assume_scheme="https", label=gettext_lazy("Dirección del token OAuth 2.0")
    )
    username = forms.CharField(label=gettext_lazy("Usuario"), max_length=200)
    password = forms.CharField(
        label=gettext_lazy("Contraseña"),
        max_length=200,
        required=False,
        widget=forms.PasswordInput,
        help_text=gettext_lazy("En blanco: la que ya tiene guardada la fuente."),
    )
    client_id = forms.CharField(label=gettext_lazy("client_id"), max_length=200)
    client_secret = forms.CharField(
        label=gettext_lazy("client_secret"),
        max_length=200,
        required=False,
        widget=forms.PasswordInput,
        help_text=gettext_lazy("En blanco: el que ya tiene guardado la fuente."),
    )

    def job_parameters(self, parameters: dict) -> dict:
        """The secrets go to the source when the job is asked for, so they never sit in the
        job's row while it waits in the queue (cms/jobs_admin.py ``parameters_of``)."""
        secrets = {key: parameters[key] for key in SECRETS if parameters.get(key)}
        if secrets:
            dataset, _created = ReferenceDataset.objects.get_or_create(
                name=parameters["name"][:200], defaults={"kind": ReferenceDataset.Kind.S6}
            )
            if dataset.kind == ReferenceDataset.Kind.S6:  # another kind: the job says so
                for key, value in secrets.items():
                    setattr(dataset, key, value)
                dataset.save(update_fields=list(secrets))
        return {key: value for key, value in parameters.items() if key not in SECRETS}


SECRETS = ("password", "client_secret")


def s6_dataset(parameters: dict) -> ReferenceDataset:
    """The dataset of an S6 harvest, with the job's address and account (a new address starts
    from page 1). The secrets go to the dataset, never stay in a job's parameters."""
    dataset, _created = ReferenceDataset.objects.get_or_create(
        name=parameters["name"][:200], defaults={"kind": ReferenceDataset.Kind.S6}
    )
    if dataset.kind != ReferenceDataset.Kind.S6:
        raise JobError(
            _("«%(name)s» ya es otra fuente (no del S6); use otro nombre.") % {"name": dataset.name}
        )
    fields = {
        key: parameters[key]
        for key in ("url", "token_url", "username", "client_id", *SECRETS)
        if parameters.get(key)
    }
    if fields.get("url", dataset.url) != dataset.url:
        fields["cursor"] = ""
    for key, value in fields.items():
        setattr(dataset, key, value)
    if fields:
        dataset.save(update_fields=list(fields))
    if not (dataset.url and dataset.token_url and dataset.password):
        raise JobError(_("Faltan la dirección, el token o la contraseña del S6."))
    return dataset


def run_s6_harvest(job, progress) -> JobOutcome:
    dataset = s6_dataset(job.parameters)
    if any(job.parameters.get(key) for key in SECRETS):
        job.parameters = {k: v for k, v in job.parameters.items() if k not in SECRETS}
        type(job).objects.filter(pk=job.pk).update(parameters=job.parameters)
    progress.set_total(None)
    first_page = int(dataset.cursor or 1)

    def on_total(rows: int | None) -> None:
        # What is left from the page it resumes at (totalRows counts the whole list).
        if progress.total is None and rows is not None:
            progress.set_total(max(rows - (first_page - 1) * reference.S6_PAGE_SIZE, 0))

    try:
        kept = reference.harvest_s6(dataset, progress=progress.advance, total=on_total)
    except reference.HarvestError as error:
        raise JobError(
            str(error)
            + " "
            + _("La cosecha se reanudará en la página %(page)s.") % {"page": dataset.cursor or 1}
        ) from error
    summary = _("«%(name)s» (S6): %(kept)s procesos guardados; %(total)s en total.") % {
        "name": dataset.name,
        "kept": kept,
        "total": dataset.records,
    }
    return JobOutcome(summary=summary, result={"kept": kept, "records": dataset.records})


register(
    JobKind(
        key="cosechar_s6",
        label=gettext_lazy("Cosechar el S6 de la PDN"),
        description=gettext_lazy(
            "Recorre la API de contrataciones abiertas (S6) de la Plataforma Digital Nacional y "
            "guarda sus procesos como datos de referencia de la investigación de mercado; se "
            "reanuda en la página donde se quedó y puede programarse."
        ),
        run=run_s6_harvest,
        form_class=S6HarvestForm,
        command="cosechar_referencia --s6",
    )
)
