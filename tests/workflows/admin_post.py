"""POST data for the Wagtail form of a definition, as the browser sends it (no groups)."""

from wagtail.test.utils.form_data import nested_form_data, streamfield

EMPTY_FIELD = {
    "key": "",
    "label": "",
    "help_text": "",
    "ocds_path": "",
    "field_type": "text",
    "choices": "",
    "document_type": "",
    "min_value": "",
    "max_value": "",
    "min_length": "",
    "max_length": "",
    "pattern": "",
    "default": "",
}


def field_block(**values):
    value = {**EMPTY_FIELD, **values}
    for flag in ("custom", "required"):
        if value.get(flag):
            value[flag] = "on"
        else:
            value.pop(flag, None)
    return ("field", value)


def definition_post(*, title, stage, procedure_type, entity=None, fields, publish=True):
    data = nested_form_data(
        {
            "title": title,
            "stage": stage,
            "procedure_type": procedure_type,
            "entity": entity.pk if entity else "",
            "fields": streamfield(fields),
        }
    )
    if publish:
        data["action-publish"] = "action-publish"
    return data


CREATE_URL = "/admin/formularios/definiciones/add/"


def edit_url(definition):
    return f"/admin/formularios/definiciones/edit/{definition.pk}/"


def group_block(*, key, label, ocds_path, fields, min_rows="", party_role=""):
    rows = {"count": len(fields)}
    for index, (_kind, value) in enumerate(fields):
        rows[str(index)] = {"value": value, "deleted": "", "order": index, "id": ""}
    value = {
        "key": key,
        "label": label,
        "help_text": "",
        "ocds_path": ocds_path,
        "party_role": party_role,
        "min_rows": min_rows,
        "max_rows": "",
        "fields": rows,
    }
    return ("group", value)


def shown(message: str, html: str) -> bool:
    """Block errors travel as JSON inside the StreamField's data attribute."""
    import html as html_module
    import json

    return json.dumps(message)[1:-1] in html_module.unescape(html)
