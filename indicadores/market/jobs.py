"""The long jobs of the market research (cms.jobs): rebuilding the price rows."""

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cms.jobs import JobError, JobKind, JobOutcome, register
from indicadores.market import reference, services
from indicadores.market.models import ReferenceDataset


def run_rebuild(job, progress) -> JobOutcome:
    progress.set_total(services.rebuild_total())
    counts = services.rebuild(progress=progress.advance)
    summary = (
        _(
            "Precios unitarios: %(prices)s filas de %(records)s procesos publicados y "
            "%(references)s registros de referencia."
        )
        % counts
    )
    return JobOutcome(summary=summary, result=counts)


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
