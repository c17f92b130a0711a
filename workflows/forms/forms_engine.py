"""The form engine: a FormVersion's spec → a Django form (with formsets) → an OCDS fragment.

This is the component the workflow tasks embed (issue 6):

* :func:`build_form` gives a bound or unbound :class:`StageForm` with accessible markup;
* :func:`to_ocds` turns its cleaned values into the fragment of a release the stage publishes;
* :func:`assemble_release` wraps a fragment into a complete release ready for ``validate_release``;
* :func:`values_from_post` / :func:`data_from_values` keep a draft's raw input lossless, valid or
  not, so an invalid submit never loses what the person typed.
"""

import copy
import dataclasses
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from zoneinfo import ZoneInfo

from django import forms
from django.conf import settings
from django.core.validators import RegexValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cms.models import RFC_PATTERN
from ocds_pages.party_keys import RFC_SCHEME, rfc_party_id
from workflows.base import currencies, uploads
from workflows.base.procedures import ProcedureType, Stage
from workflows.base.rules import impossible_data_issues
from workflows.forms import catalogues, ocds_paths
from workflows.forms.choices import FieldType
from workflows.forms.spec import is_visible

CURP_PATTERN = (
    r"^[A-Z][AEIOUX][A-Z]{2}\d{2}(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])[HM]"
    r"(AS|BC|BS|CC|CL|CM|CS|CH|DF|DG|GT|GR|HG|JC|MC|MN|MS|NT|NL|OC|PL|QT|QR|SP|SL|SR|TC|TS|TL|"
    r"VZ|YN|ZS|NE)[B-DF-HJ-NP-TV-Z]{3}[A-Z\d]\d$"
)
BOOLEAN_CHOICES = [("", "—"), ("true", _("Sí")), ("false", _("No"))]
DELETE_LABEL = _("Quitar esta fila al guardar")


@dataclass(frozen=True)
class CaptureContext:
    """What the engine needs to know about the process a stage belongs to."""

    procedure_type: str = ProcedureType.LP_NATIONAL
    ocid: str = ""
    award_id: str = ""
    contract_id: str = ""
    # The process's compiled release so far, or a function that reads it when first needed (an
    # amendment's end date is checked against the start already published).
    published: object = dataclasses.field(default=None, compare=False, hash=False)

    def default_id(self, kind: str) -> str:
        return f"{self.ocid}-{kind}-1" if self.ocid else f"{kind}-1"


# --- Django fields per type ---


class MoneyWidget(forms.MultiWidget):
    template_name = "workflows/widgets/money.html"

    def __init__(self, attrs=None):
        super().__init__(
            [forms.NumberInput(attrs={"step": "0.01"}), forms.Select(choices=currencies.choices())],
            attrs,
        )

    def decompress(self, value):
        if isinstance(value, dict):
            return [value.get("amount"), value.get("currency") or currencies.default_currency()]
        return [None, currencies.default_currency()]

    def value_from_datadict(self, data, files, name):
        # A row added with «Agregar fila» is rendered bound to data that has no currency yet: it
        # starts with the installation's currency, not with the first code of the list.
        amount, currency = super().value_from_datadict(data, files, name)
        return [amount, currency or currencies.default_currency()]

    def get_context(self, name, value, attrs):
        current = value[1] if isinstance(value, list | tuple) and len(value) > 1 else ""
        self.widgets[1].choices = currencies.choices(current or "")
        return super().get_context(name, value, attrs)


class MoneyField(forms.MultiValueField):
    """An amount and its ISO 4217 currency (OCDS Value), among the installation's currencies."""

    widget = MoneyWidget

    def __init__(self, *, min_value=None, max_value=None, **kwargs):
        fields = (
            forms.DecimalField(min_value=min_value, max_value=max_value, decimal_places=2),
            forms.ChoiceField(
                choices=currencies.choices(),
                error_messages={
                    "invalid_choice": _(
                        "La moneda %(value)s no se usa en esta instalación; elija otra."
                    )
                },
            ),
        )
        super().__init__(fields, require_all_fields=True, **kwargs)

    def clean(self, value):
        # The currency select always sends a value: an empty amount means "no amount".
        amount = value[0] if isinstance(value, list | tuple) and value else value
        if amount in self.empty_values:
            if self.required:
                raise forms.ValidationError(self.error_messages["required"], code="required")
            return None
        return super().clean(value)

    def has_changed(self, initial, data):
        # An extra row nobody touched still posts the currency select's default; with no amount
        # typed (and none before) nothing changed, so the formset leaves the row out instead of
        # validating it.
        amount = data[0] if isinstance(data, list | tuple) and data else data
        before = initial if isinstance(initial, list | tuple) else self.widget.decompress(initial)
        if amount in self.empty_values and before[0] in self.empty_values:
            return False
        return super().has_changed(initial, data)

    def compress(self, data_list):
        if not data_list or data_list[0] in (None, ""):
            return None
        return {"amount": data_list[0], "currency": data_list[1] or currencies.default_currency()}


def _text_validators(item: dict) -> list:
    pattern = item.get("pattern")
    message = _("El valor no tiene el formato esperado (%(pattern)s).") % {"pattern": pattern}
    return [RegexValidator(pattern, message)] if pattern else []


def _decimal(value):
    return None if value in (None, "") else Decimal(str(value))


def _integer(value):
    return None if value in (None, "") else int(Decimal(str(value)))


def _field_kwargs(item: dict) -> dict:
    return {
        "label": item["label"],
        "help_text": item.get("help_text") or "",
        "required": bool(item.get("required")),
    }


def _text_field(item, kwargs, widget=None):
    return forms.CharField(
        min_length=item.get("min_length") or None,
        max_length=item.get("max_length") or None,
        validators=_text_validators(item),
        widget=widget,
        **kwargs,
    )


def _identifier_field(pattern, message, kwargs):
    return forms.CharField(
        max_length=18,
        validators=[RegexValidator(pattern, message)],
        widget=forms.TextInput(attrs={"autocapitalize": "characters", "spellcheck": "false"}),
        **kwargs,
    )


def make_field(item: dict) -> forms.Field | None:
    """The Django field of one spec field (None for a fixed value, which is not shown)."""
    kind, kwargs = item["field_type"], _field_kwargs(item)
    minimum, maximum = item.get("min_value"), item.get("max_value")
    if kind == FieldType.TEXT:
        return _text_field(item, kwargs)
    if kind == FieldType.LONG_TEXT:
        return _text_field(item, kwargs, forms.Textarea(attrs={"rows": 4}))
    if kind == FieldType.INTEGER:
        return forms.IntegerField(
            min_value=_integer(minimum), max_value=_integer(maximum), **kwargs
        )
    if kind == FieldType.DECIMAL:
        return forms.DecimalField(
            min_value=_decimal(minimum), max_value=_decimal(maximum), **kwargs
        )
    if kind == FieldType.MONEY:
        return MoneyField(min_value=_decimal(minimum), max_value=_decimal(maximum), **kwargs)
    if kind == FieldType.DATE:
        return forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), **kwargs)
    if kind == FieldType.DATETIME:
        widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
        return forms.DateTimeField(widget=widget, **kwargs)
    if kind == FieldType.BOOLEAN:
        return forms.TypedChoiceField(
            choices=BOOLEAN_CHOICES, coerce=lambda v: v == "true", empty_value=None, **kwargs
        )
    if kind == FieldType.CHOICE:
        choices = [("", "—"), *catalogues.options(item["choices"])]
        return forms.ChoiceField(choices=choices, **kwargs)
    if kind == FieldType.RFC:
        message = _("El RFC debe tener 12 (persona moral) o 13 (persona física) caracteres.")
        return _identifier_field(RFC_PATTERN, message, kwargs)
    if kind == FieldType.CURP:
        return _identifier_field(CURP_PATTERN, _("La CURP no tiene el formato oficial."), kwargs)
    if kind == FieldType.FILE:
        # The same check as «Subir documento» (workflows/base/uploads.py): content, size, formats.
        widget = forms.ClearableFileInput(attrs={"accept": uploads.accept_attribute()})
        return forms.FileField(validators=[uploads.validate_upload], widget=widget, **kwargs)
    return None


# --- The form ---


def _describe(field: forms.Field, html_id: str, has_errors: bool) -> None:
    """Link help and errors to the control, so a screen reader reads them with the label."""
    described = []
    if field.help_text:
        described.append(f"{html_id}_ayuda")
    if has_errors:
        described.append(f"{html_id}_errores")
        field.widget.attrs["aria-invalid"] = "true"
    if described:
        field.widget.attrs["aria-describedby"] = " ".join(described)


class AccessibleFormMixin:
    """Adds aria-describedby/aria-invalid once the form knows its errors."""

    def _describe_all(self):
        # Only errors already found: asking for ``self.errors`` here would validate a formset row
        # before the formset adds its DELETE field, and a row marked for deletion would fail.
        errors = self._errors or {}
        for name, field in self.fields.items():
            _describe(field, self[name].auto_id, bool(errors.get(name)))

    def full_clean(self):
        super().full_clean()
        self._describe_all()


class RowForm(AccessibleFormMixin, forms.Form):
    """One row of a repeating group; ``stored_files`` are the row's files kept from earlier saves
    (a milestone's acceptance certificate), by field key."""

    def __init__(self, *args, items=(), stored_files=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.items = list(items)
        self.stored_files = stored_files or {}
        for item in self.items:
            field = make_field(item)
            if field is None:
                continue
            stored = self.stored_files.get(item["key"])
            if item["field_type"] == FieldType.FILE and stored:
                field.required = False  # a file is already stored; a new upload replaces it
                field.stored_name = stored.get("name", "")
            self.fields[item["key"]] = field
        self._describe_all()

    def values(self) -> dict:
        """The row's cleaned values, files as stored (url, sha256), never the upload."""
        values = dict(self.cleaned_data)
        for key, stored in self.stored_files.items():
            if not isinstance(values.get(key), dict):
                values[key] = stored
        return values


class BaseRowFormSet(forms.BaseFormSet):
    def __init__(self, *args, group=None, stored_rows=None, **kwargs):
        self.group = group
        self.stored_rows = stored_rows or []
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        rows = self.stored_rows
        stored = rows[index] if index is not None and index < len(rows) else {}
        return {
            **super().get_form_kwargs(index),
            "items": self.group["fields"],
            "stored_files": stored,
        }

    @property
    def empty_form(self):
        form = self.form(
            auto_id=self.auto_id,
            prefix=self.add_prefix("__prefix__"),
            empty_permitted=True,
            use_required_attribute=False,
            items=self.group["fields"],
        )
        self.add_fields(form, None)
        return form

    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = DELETE_LABEL


def make_formset(group: dict, *, data=None, initial=None, extra_rows: int = 0, stored_rows=None):
    minimum = group.get("min_rows") or 0
    formset_class = forms.formset_factory(
        RowForm,
        formset=BaseRowFormSet,
        # min_num rows are always shown; an optional group offers one empty row to start with.
        extra=extra_rows or (0 if (minimum or initial or data) else 1),
        min_num=minimum,
        max_num=group.get("max_rows") or 1000,
        validate_min=bool(minimum),
        validate_max=bool(group.get("max_rows")),
        can_delete=True,
    )
    return formset_class(
        data=data, initial=initial, prefix=group["key"], group=group, stored_rows=stored_rows
    )


class StageForm(AccessibleFormMixin, forms.Form):
    """The form of one stage: plain fields plus one formset per visible repeating group."""

    def __init__(self, *args, version_spec=None, context=None, stored=None, extra_rows=None, **kw):
        super().__init__(*args, **kw)
        self.context = context or CaptureContext()
        self.stored = stored or {}
        self.items = [
            i for i in version_spec["fields"] if is_visible(i, self.context.procedure_type)
        ]
        self.formsets = {}
        for item in self.items:
            if item["kind"] == "group":
                self.formsets[item["key"]] = make_formset(
                    item,
                    data=self.data if self.is_bound else None,
                    initial=self.initial.get(item["key"]),
                    extra_rows=(extra_rows or {}).get(item["key"], 0),
                    stored_rows=self.stored.get(item["key"]),
                )
            else:
                self._add_field(item)
        self._describe_all()

    def _add_field(self, item):
        field = make_field(item)
        if field is None:
            return
        if item["field_type"] == FieldType.FILE and self.stored.get(item["key"]):
            field.required = False  # a file is already stored; a new upload replaces it
            field.stored_name = self.stored[item["key"]].get("name", "")
        if item.get("default") and item["key"] not in self.initial:
            self.initial[item["key"]] = _default_initial(item)
        self.fields[item["key"]] = field

    def entries(self):
        """(spec item, bound field or formset) in the order of the definition, for templates."""
        for item in self.items:
            if item["kind"] == "group":
                yield item, self.formsets[item["key"]]
            elif item["key"] in self.fields:
                yield item, self[item["key"]]

    def is_valid(self):
        valid = super().is_valid()
        valid = all([valid, *(formset.is_valid() for formset in self.formsets.values())])
        if self.is_bound and not hasattr(self, "impossible"):
            # Checked on what is valid so far too, so every error shows at once.
            self.impossible = self._impossible_data()
        return valid and not self.impossible

    def _impossible_data(self) -> list:
        """Values valid one by one that no process can have together (workflows.base.rules)."""
        # Only what can be impossible (dates, amounts, quantities): choices and files would cost a
        # catalogue query each and cannot be.
        fragment = to_ocds(
            {"fields": _checked_items(self.items)}, self.values(), context=self.context
        )
        issues = impossible_data_issues(fragment, self.context.published)
        for issue in issues:
            self._attach(issue.path, issue.message)
        return issues

    def _attach(self, path: str, message) -> None:
        """Put an error beside the field (or the row's field) whose OCDS path wrote ``path``."""
        for item in self.items:
            base = ocds_paths.join("", item["ocds_path"])
            if item["kind"] == "field" and _under(path, base) and item["key"] in self.fields:
                self.add_error(item["key"], message)
                return
            if item["kind"] == "group" and path.startswith(base + "/"):
                index, _sep, rest = path[len(base) + 1 :].partition("/")
                if self._attach_to_row(item, int(index) if index.isdigit() else -1, rest, message):
                    return
        self.add_error(None, message)

    def _attach_to_row(self, group, index: int, rest: str, message) -> bool:
        formset = self.formsets.get(group["key"])
        rows = [
            row
            for row in (formset.forms if formset else [])
            if row.cleaned_data and not row.cleaned_data.get("DELETE")
        ]
        if not 0 <= index < len(rows):
            return False
        for item in group["fields"]:
            if (
                _under(rest, ocds_paths.join("", item["ocds_path"]))
                and item["key"] in rows[index].fields
            ):
                rows[index].add_error(item["key"], message)
                return True
        return False

    def values(self) -> dict:
        """Cleaned values by key (groups: list of rows), after ``is_valid()``."""
        values = dict(self.cleaned_data)
        for key, stored in self.stored.items():
            # Files are published from what was stored (url, sha256), never from the upload.
            if isinstance(stored, dict) and not isinstance(values.get(key), dict):
                values[key] = stored
        for key, formset in self.formsets.items():
            values[key] = [
                row.values()
                for row in formset.forms
                if row.cleaned_data and not row.cleaned_data.get("DELETE")
            ]
        return values


def _checked_items(items: list[dict]) -> list[dict]:
    skipped = (FieldType.CHOICE, FieldType.FILE, FieldType.FIXED)
    checked = []
    for item in items:
        if item["kind"] == "group":
            fields = [f for f in item["fields"] if f["field_type"] not in skipped]
            checked.append({**item, "fields": fields, "party_role": ""})
        elif item["field_type"] not in skipped:
            checked.append(item)
    return checked


def _under(path: str, base: str) -> bool:
    return path == base or path.startswith(base + "/")


def _default_initial(item):
    if item["field_type"] == FieldType.MONEY:
        return {"amount": item["default"], "currency": currencies.default_currency()}
    return item["default"]


def build_form(
    version, data=None, files=None, *, context=None, stored=None, extra_rows=None, initial=None
):
    """The stage form of ``version`` (a FormVersion or its spec dict).

    ``stored`` holds values kept from earlier saves that a browser cannot resend (uploaded files);
    ``extra_rows`` maps a group key to how many empty rows to add (the no-JS "add row" button);
    ``initial`` holds draft values an unbound form starts with (what the process already has,
    workflows/processes/prefill.py).
    """
    spec = version if isinstance(version, dict) else version.spec
    return StageForm(
        data,
        files,
        version_spec=spec,
        context=context,
        stored=stored,
        extra_rows=extra_rows,
        initial=initial,
    )


# --- Draft values (raw input, kept valid or not) ---


def _raw(data, name, item):
    if item["field_type"] == FieldType.MONEY:
        return {"amount": data.get(f"{name}_0", ""), "currency": data.get(f"{name}_1", "")}
    return data.get(name, "")


def values_from_post(version, data, *, context=None) -> dict:
    """The raw strings a person submitted, by key (groups as lists of rows), for the draft."""
    spec = version if isinstance(version, dict) else version.spec
    procedure = (context or CaptureContext()).procedure_type
    values = {}
    for item in spec["fields"]:
        if not is_visible(item, procedure) or item.get("field_type") in ("file", "fixed"):
            continue
        if item["kind"] == "field":
            values[item["key"]] = _raw(data, item["key"], item)
            continue
        values[item["key"]] = _rows_from_post(item, data)
    return values


def _rows_from_post(group, data) -> list[dict]:
    prefix = group["key"]
    try:
        total = int(data.get(f"{prefix}-TOTAL_FORMS", 0))
    except ValueError:
        total = 0
    rows = []
    for index in range(min(total, 1000)):
        if data.get(f"{prefix}-{index}-DELETE"):
            continue
        rows.append(
            {
                field["key"]: _raw(data, f"{prefix}-{index}-{field['key']}", field)
                for field in group["fields"]
                if field["field_type"] not in ("file", "fixed")
            }
        )
    return rows


def _post_value(name, value, item, out):
    if item["field_type"] == FieldType.MONEY and isinstance(value, dict):
        out[f"{name}_0"] = str(value.get("amount") or "")
        out[f"{name}_1"] = value.get("currency") or currencies.default_currency()
    elif value not in (None,):
        out[name] = "" if value is None else str(value)


def data_from_values(version, values: dict, *, context=None, extra_rows=None) -> dict:
    """Form data (as a browser would post it) from a draft's stored values."""
    spec = version if isinstance(version, dict) else version.spec
    procedure = (context or CaptureContext()).procedure_type
    out = {}
    for item in spec["fields"]:
        if not is_visible(item, procedure):
            continue
        if item["kind"] == "field":
            if item["field_type"] not in ("file", "fixed") and item["key"] in values:
                _post_value(item["key"], values[item["key"]], item, out)
            continue
        rows = values.get(item["key"]) or []
        extra = (extra_rows or {}).get(item["key"], 0)
        out[f"{item['key']}-TOTAL_FORMS"] = str(len(rows) + extra)
        out[f"{item['key']}-INITIAL_FORMS"] = "0"
        for index, row in enumerate(rows):
            for field in item["fields"]:
                if field["field_type"] in ("file", "fixed"):
                    continue  # a browser never resends a file; the stored one is kept apart
                name = f"{item['key']}-{index}-{field['key']}"
                _post_value(name, row.get(field["key"]), field, out)
    return out


# --- OCDS ---


def _number(value):
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def _datetime_text(value) -> str:
    zone = ZoneInfo(settings.TIME_ZONE)
    if isinstance(value, datetime):
        aware = value if timezone.is_aware(value) else value.replace(tzinfo=zone)
        return aware.astimezone(zone).isoformat(timespec="seconds")
    return datetime.combine(value, time.min, tzinfo=zone).isoformat(timespec="seconds")


def ocds_value(item: dict, value):
    """The JSON a cleaned value is published as."""
    kind = item["field_type"]
    if kind == FieldType.FIXED:
        return item.get("default") or None
    if value in (None, "", [], {}):
        return None
    if kind == FieldType.MONEY:
        return {"amount": _number(Decimal(str(value["amount"]))), "currency": value["currency"]}
    if kind in (FieldType.DATE, FieldType.DATETIME) and isinstance(value, date | datetime):
        return _datetime_text(value)
    if kind in (FieldType.DECIMAL, FieldType.INTEGER):
        return _number(value)
    if kind in (FieldType.RFC, FieldType.CURP):
        return value.upper()
    if kind == FieldType.CHOICE:
        return catalogues.ocds_value(item["choices"], value)
    if kind == FieldType.FILE:
        return [_document(item, value)] if isinstance(value, dict) else None
    return value


def _document(item: dict, stored: dict) -> dict:
    document = {
        "id": stored.get("sha256", "")[:16] or item["key"],
        "documentType": item.get("document_type") or "",
        "title": item["label"],
        "url": stored.get("url", ""),
        "format": stored.get("format", "application/octet-stream"),
    }
    if stored.get("sha256"):
        document["sha256"] = stored["sha256"]
    if stored.get("datePublished"):
        document["datePublished"] = stored["datePublished"]
    return {key: value for key, value in document.items() if value}


def _container(node, part: str, next_part: str):
    """The child of ``node`` at ``part``, created as a list or dict depending on what follows."""
    empty = [] if next_part.isdigit() else {}
    if isinstance(node, list):
        index = int(part)
        while len(node) <= index:
            node.append({})
        if not isinstance(node[index], type(empty)) or node[index] == {}:
            node[index] = node[index] or empty
        return node[index]
    return node.setdefault(part, empty)


def set_path(target: dict, path: str, value) -> None:
    """Write ``value`` at ``path`` inside ``target``, creating objects and array slots."""
    parts = ocds_paths.split(path)
    node = target
    for part, next_part in zip(parts, parts[1:], strict=False):
        node = _container(node, part, next_part)
    last = parts[-1]
    if isinstance(node, list):
        while len(node) <= int(last):
            node.append({})
        node[int(last)] = value
    elif isinstance(node.get(last), list) and isinstance(value, list):
        node[last].extend(value)  # several file fields may add to one documents list
    else:
        node[last] = value


def _write(target: dict, item: dict, value, base: str = "") -> None:
    published = ocds_value(item, value)
    if published is None:
        return
    path = ocds_paths.join(base, item["ocds_path"])
    set_path(target, path, published)
    if item["field_type"] == FieldType.CHOICE and path.endswith("/id"):
        parent = path.rsplit("/", 1)[0]
        for key, extra in catalogues.companions(item["choices"], value).items():
            set_path(target, f"{parent}/{key}", extra)
    if item["field_type"] == FieldType.RFC and path.endswith("identifier/id"):
        set_path(target, path.rsplit("/", 1)[0] + "/scheme", RFC_SCHEME)


def _row_object(group: dict, row: dict, index: int) -> dict:
    obj = {}
    for item in group["fields"]:
        _write(obj, item, row.get(item["key"]))
    if "id" not in obj and ocds_paths.item_requires_id(group["ocds_path"]):
        obj["id"] = str(index + 1)
    return obj


def _party(obj: dict, role: str, index: int) -> tuple[dict, dict]:
    """An Organization for parties and the OrganizationReference left in its place."""
    identifier = obj.get("identifier") or {}
    party_id = rfc_party_id(identifier["id"]) if identifier.get("id") else f"{role}-{index + 1}"
    party = {**obj, "id": party_id, "roles": [role]}
    if identifier.get("id") and obj.get("name"):
        party["identifier"] = {**identifier, "legalName": identifier.get("legalName", obj["name"])}
    return party, {"id": party_id, "name": obj.get("name", "")}


def _write_group(fragment: dict, group: dict, rows: list[dict]) -> None:
    objects = [_row_object(group, row, index) for index, row in enumerate(rows or [])]
    objects = [obj for obj in objects if set(obj) - {"id"}]
    if not objects:
        return
    role = group.get("party_role")
    if role:
        pairs = [_party(obj, role, index) for index, obj in enumerate(objects)]
        fragment.setdefault("parties", []).extend(party for party, _ref in pairs)
        objects = [ref for _party_obj, ref in pairs]
    set_path(fragment, group["ocds_path"], objects)


def _structural_ids(fragment: dict, stage: str, context: CaptureContext) -> None:
    """Ids OCDS merges by and the status a stage fixes: the system sets them, not the person."""
    effect = Stage(stage).status if stage in Stage.values else None
    if effect is not None:
        # The form captures the reason; the status itself is the stage's
        # (workflows.base.procedures).
        set_path(fragment, effect.path, effect.status)
    if isinstance(fragment.get("tender"), dict):
        fragment["tender"].setdefault("id", context.default_id("tender"))
        if context.procedure_type in ProcedureType.values:
            method = ProcedureType(context.procedure_type).procurement_method
            fragment["tender"].setdefault("procurementMethod", method)
    for award in fragment.get("awards") or []:
        award.setdefault("id", context.award_id or context.default_id("award"))
    for contract in fragment.get("contracts") or []:
        contract.setdefault("id", context.contract_id or context.default_id("contract"))
        contract.setdefault("awardID", context.award_id or context.default_id("award"))


def to_ocds(version, values: dict, *, context=None) -> dict:
    """The OCDS fragment (release sections) the cleaned ``values`` of a stage produce."""
    spec = version if isinstance(version, dict) else version.spec
    stage = spec.get("stage") if isinstance(version, dict) else version.stage
    context = context or CaptureContext()
    fragment: dict = {}
    for item in spec["fields"]:
        if not is_visible(item, context.procedure_type):
            continue
        if item["kind"] == "group":
            _write_group(fragment, item, values.get(item["key"]))
        else:
            _write(fragment, item, values.get(item["key"]))
    _structural_ids(fragment, stage or "", context)
    _fill_required_ids(fragment, "")
    return fragment


def _fill_required_ids(node, path: str) -> None:
    """Objects of arrays whose OCDS type requires an ``id`` (Quote, Milestone…) get 1, 2, 3…"""
    if isinstance(node, dict):
        for key, value in node.items():
            _fill_required_ids(value, f"{path}/{key}" if path else key)
        return
    if not isinstance(node, list) or not node or not isinstance(node[0], dict):
        return
    row = ocds_paths.resolve(f"{path}/0")
    needs_id = row is not None and "id" in (row.node.get("required") or [])
    for index, element in enumerate(node):
        if needs_id and isinstance(element, dict):
            element.setdefault("id", str(index + 1))
        _fill_required_ids(element, f"{path}/{index}")


def _merge_parties(parties: list[dict]) -> list[dict]:
    merged: dict[str, dict] = {}
    for party in parties:
        current = merged.setdefault(party["id"], {**party, "roles": []})
        current.update({k: v for k, v in party.items() if k != "roles"})
        current["roles"] = sorted(set(current["roles"]) | set(party.get("roles") or []))
    return list(merged.values())


def assemble_release(
    *, fragment: dict, ocid: str, release_id: str, stage: str, buyer: dict, date: str | None = None
) -> dict:
    """A complete release around a stage fragment; ``buyer`` is the buyer's Organization."""
    release = {
        "ocid": ocid,
        "id": release_id,
        "date": date or _datetime_text(timezone.now()),
        "tag": [Stage(stage).release_tag],
        "language": "es",
        "initiationType": "tender",
        "buyer": {"id": buyer["id"], "name": buyer["name"]},
        **copy.deepcopy({k: v for k, v in fragment.items() if k != "parties"}),
    }
    roles = sorted({*buyer.get("roles", []), "buyer"})
    release["parties"] = _merge_parties([{**buyer, "roles": roles}, *fragment.get("parties", [])])
    return release
