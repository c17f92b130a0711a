"""The long jobs of the published side, run by cms.jobs: bulk export, OCDS import, recompile.

They do what ``exportar_bulk``, ``importar_ocds`` and ``recompilar_registros`` do, with the same
functions, but record their progress and summary on a ``cms.Job`` row so they can run on a worker.
"""

from pathlib import Path

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cms.jobs import JobError, JobKind, JobOutcome, register
from ocds_pages import bulk
from ocds_pages.importer import (
    EntityResolver,
    ImportFileError,
    ImportSummary,
    import_items,
    read_items,
    scan_file,
)
from ocds_pages.models import Record
from ocds_pages.publication import recompile_record

# A job's error list is for people: the first errors say what is wrong, the rest repeat it.
MAX_REPORTED_ERRORS = 50


def _years(text: str) -> list[int]:
    try:
        return sorted({int(part) for part in text.replace(",", " ").split()})
    except ValueError as exc:
        raise forms.ValidationError(
            _("Escriba años de cuatro cifras separados por comas.")
        ) from exc


class ExportForm(forms.Form):
    years = forms.CharField(
        label=gettext_lazy("Años"),
        required=False,
        help_text=gettext_lazy("Separados por comas; vacío para todos los años con datos."),
    )

    def clean_years(self):
        return _years(self.cleaned_data["years"])


def run_export(job, progress) -> JobOutcome:
    years = [int(year) for year in job.parameters.get("years") or []]
    unknown = sorted(set(years) - set(bulk.years()))
    if unknown:
        raise JobError(
            _("No hay datos publicados del año %(years)s.")
            % {"years": ", ".join(str(year) for year in unknown)}
        )
    progress.set_total(bulk.count_rows(years or None))
    summaries = bulk.export(only_years=years or None, progress=progress.advance)
    if not summaries:
        return JobOutcome(summary=_("No hay datos publicados; no se generó ningún archivo."))
    lines = [summary.describe() for summary in summaries]
    result = {
        "years": [
            {
                "year": summary.year,
                "records": summary.records,
                "releases": summary.releases,
                "files": [item.name for item in summary.files],
            }
            for summary in summaries
        ]
    }
    return JobOutcome(summary="\n".join(lines), result=result)


class ImportForm(forms.Form):
    files = forms.FileField(
        label=gettext_lazy("Archivo OCDS"),
        help_text=gettext_lazy(
            "Paquete de entregas o de registros, o JSON Lines de entregas (también .gz)."
        ),
    )
    create_entities = forms.BooleanField(
        label=gettext_lazy("Dar de alta los entes que no existan"),
        required=False,
        help_text=gettext_lazy("El comprador que no exista se registra como ente federal."),
    )


def _first_error_noted(progress):
    """The job's note shows the first error as soon as it is found, while the import goes on
    (the full list is in the outcome)."""
    noted = []

    def on_message(kind: str, text: str) -> None:
        if kind == "error" and not noted:
            noted.append(text)
            progress.note(_("Primer error: %(error)s") % {"error": text})

    return on_message


def run_import(job, progress) -> JobOutcome:
    files = job.parameters.get("files") or []
    if isinstance(files, str):
        files = [files]
    if not files:
        raise JobError(_("Indique al menos un archivo para importar."))
    summary = ImportSummary(on_message=_first_error_noted(progress))
    resolver = EntityResolver(create=bool(job.parameters.get("create_entities")))
    rejected = []
    for name in files:
        path = Path(name)
        try:
            progress.note(path.name)
            scan = scan_file(path)  # a broken file is rejected before anything is stored
            progress.set_total((progress.total or 0) + scan.count)
            import_items(
                items=read_items(path, scan),
                resolver=resolver,
                summary=summary,
                progress=progress.advance,
            )
        except (ImportFileError, OSError) as error:
            rejected.append(
                _("%(file)s rechazado: %(error)s") % {"file": path.name, "error": error}
            )
    figures = {
        "imported": summary.imported,
        "duplicates": summary.duplicates,
        "conflicts": summary.conflicts,
        "invalid": summary.invalid,
        "refused_ocid": summary.refused_ocid,
        "warnings": summary.warning_count,
        "without_entity": summary.without_entity,
        "rejected_files": len(rejected),
    }
    text = summary.report(rejected_files=len(rejected))
    errors = rejected + summary.errors
    errors += [_("Aviso: %(warning)s") % {"warning": warning} for warning in summary.warnings]
    if len(errors) > MAX_REPORTED_ERRORS:
        hidden = len(errors) - MAX_REPORTED_ERRORS
        errors = errors[:MAX_REPORTED_ERRORS] + [_("… y %(count)s más.") % {"count": hidden}]
    return JobOutcome(summary=text, result=figures, errors=errors)


class RecompileForm(forms.Form):
    ocids = forms.CharField(
        label=gettext_lazy("ocid"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Uno por renglón; vacío para todos los registros."),
    )

    def clean_ocids(self):
        return [line.strip() for line in self.cleaned_data["ocids"].splitlines() if line.strip()]


def run_recompile(job, progress) -> JobOutcome:
    records = Record.objects.all()
    ocids = job.parameters.get("ocids") or []
    if ocids:
        records = records.filter(ocid__in=ocids)
    progress.set_total(records.count())
    last = 0
    while batch := list(
        records.filter(pk__gt=last).order_by("pk").values_list("pk", flat=True)[:1000]
    ):
        for pk in batch:
            recompile_record(record=Record(pk=pk))  # one transaction per record
            progress.advance()
        last = batch[-1]
    return JobOutcome(
        summary=_("Registros recompilados: %(count)s") % {"count": progress.done},
        result={"records": progress.done},
    )


register(
    JobKind(
        key="exportar_bulk",
        label=gettext_lazy("Exportar archivos masivos"),
        description=gettext_lazy(
            "Genera los archivos masivos por año (JSON Lines, paquetes, CSV y XLSX)."
        ),
        run=run_export,
        form_class=ExportForm,
        command="exportar_bulk",
    )
)
register(
    JobKind(
        key="importar_ocds",
        label=gettext_lazy("Importar datos OCDS"),
        description=gettext_lazy(
            "Importa publicaciones OCDS de otro sistema; cada proceso se guarda completo o no se "
            "guarda."
        ),
        run=run_import,
        form_class=ImportForm,
        command="importar_ocds",
    )
)
register(
    JobKind(
        key="recompilar_registros",
        label=gettext_lazy("Recompilar registros"),
        description=gettext_lazy(
            "Recompila la entrega compilada y la versionada de cada registro y sus proyecciones."
        ),
        run=run_recompile,
        form_class=RecompileForm,
        command="recompilar_registros",
    )
)
