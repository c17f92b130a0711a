"""Starter content pages under the home page, in Spanish: help, publication policy, data licence
and about. OCDS packages link to the policy and the licence (ocds_pages.packages), so a new
installation must have them from day one; editors change the text in the admin."""

import json
import uuid

from django.db import migrations

PAGES = [
    (
        "ayuda",
        "Ayuda",
        "Cómo buscar procesos de contratación, leer sus etapas y descargar los datos.",
        [
            ("heading", "Buscar procesos"),
            (
                "paragraph",
                '<p>En <a href="/procesos/">Buscar procesos</a> escriba palabras del título, de '
                "las partidas, del ente comprador o del proveedor. No importan los acentos ni las "
                "mayúsculas. Puede filtrar por ente público, unidad compradora, tipo de "
                "procedimiento, estado, año, rango de montos, RFC del proveedor y clave de "
                "clasificación de las partidas (CUCOP).</p>",
            ),
            (
                "paragraph",
                "<p>La dirección de la página de resultados conserva la búsqueda: puede copiarla y "
                "compartirla.</p>",
            ),
            ("heading", "La página de un proceso"),
            (
                "paragraph",
                "<p>Cada proceso tiene una dirección permanente con su identificador OCDS (ocid). "
                "Muestra sus etapas (planeación, procedimiento, adjudicación, contrato y "
                "ejecución) con sus fechas, las partidas con cantidades y precios unitarios, los "
                "licitantes y proveedores, el contrato y sus convenios modificatorios, el avance "
                "de los pagos y los documentos con su huella SHA-256.</p>",
            ),
            ("heading", "Descargar datos"),
            (
                "paragraph",
                "<p>Los resultados de una búsqueda se descargan en CSV (para hoja de cálculo) o en "
                "JSON (paquete de entregas OCDS). Cada proceso ofrece su registro OCDS completo y "
                "cada una de sus entregas en JSON.</p>",
            ),
        ],
    ),
    (
        "politica-de-publicacion",
        "Política de publicación",
        "Qué datos de contrataciones publicamos, cuándo y con qué calidad.",
        [
            ("heading", "Qué se publica"),
            (
                "paragraph",
                "<p>Este sistema publica los procedimientos de contratación del ente público en el "
                "Estándar de Datos de Contrataciones Abiertas (OCDS) versión 1.1, con las "
                "extensiones que declara cada paquete. Cada etapa aprobada —planeación, "
                "procedimiento, adjudicación, contrato y ejecución— genera una entrega (release) "
                "que no se modifica ni se borra; el registro (record) de cada proceso reúne todas "
                "sus entregas.</p>",
            ),
            ("heading", "Cuándo se publica"),
            (
                "paragraph",
                "<p>La entrega se publica en el momento en que la persona responsable aprueba la "
                "etapa en el sistema. Los datos de un proceso se actualizan cada vez que se "
                "aprueba una nueva etapa, un convenio modificatorio o un avance de la "
                "ejecución.</p>",
            ),
            ("heading", "Identificadores"),
            (
                "paragraph",
                "<p>Cada proceso tiene un identificador único (ocid) formado por el prefijo OCID "
                "de esta instalación, la clave del ente y un número consecutivo que nunca se "
                "reutiliza.</p>",
            ),
            ("heading", "Correcciones"),
            (
                "paragraph",
                "<p>Un error en un dato publicado se corrige publicando una nueva entrega que "
                "reemplaza el valor; la historia completa queda disponible en el registro "
                "versionado del proceso.</p>",
            ),
            (
                "callout",
                {
                    "title": "Datos personales",
                    "text": "<p>No se publican datos personales distintos de los que la ley "
                    "ordena hacer públicos en las contrataciones.</p>",
                },
            ),
        ],
    ),
    (
        "licencia-de-datos",
        "Licencia de datos",
        "Los datos de contrataciones publicados aquí son abiertos: puede usarlos y "
        "redistribuirlos citando la fuente.",
        [
            ("heading", "Licencia"),
            (
                "paragraph",
                "<p>Los datos se publican bajo la licencia "
                '<a href="https://creativecommons.org/licenses/by/4.0/deed.es">Creative Commons '
                "Atribución 4.0 Internacional (CC BY 4.0)</a>: puede copiarlos, redistribuirlos, "
                "transformarlos y usarlos con cualquier fin, incluso comercial, siempre que cite "
                "al ente público como fuente.</p>",
            ),
            ("heading", "Cómo citar"),
            (
                "paragraph",
                "<p>Indique el nombre del ente público, «Compra Íntegra», la fecha de consulta y, "
                "si cita un proceso, su identificador (ocid).</p>",
            ),
        ],
    ),
    (
        "acerca-de",
        "Acerca de",
        "Compra Íntegra es software libre para que los entes públicos publiquen sus "
        "contrataciones en datos abiertos.",
        [
            (
                "paragraph",
                "<p>Compra Íntegra es un sistema de contrataciones públicas libre "
                "(AGPL-3.0-or-later). Los entes públicos lo instalan para llevar sus "
                "procedimientos de contratación, publicarlos en el estándar OCDS y alimentar el "
                "Sistema 6 de la Plataforma Digital Nacional.</p>",
            ),
        ],
    ),
]


def _stream(blocks):
    return json.dumps(
        [{"type": kind, "value": value, "id": str(uuid.uuid4())} for kind, value in blocks]
    )


def _block_values(blocks):
    result = []
    for kind, value in blocks:
        if kind == "heading":
            value = {"text": value, "level": "h2"}
        result.append((kind, value))
    return result


def create_pages(apps, schema_editor):
    ContentType = apps.get_model("contenttypes.ContentType")
    HomePage = apps.get_model("cms.HomePage")
    ContentPage = apps.get_model("cms.ContentPage")
    home = HomePage.objects.first()
    if home is None:
        return  # no site yet (a database built without the home-page migration's data)
    content_type, _ = ContentType.objects.get_or_create(app_label="cms", model="contentpage")
    for slug, title, intro, blocks in PAGES:
        if ContentPage.objects.filter(slug=slug, depth=home.depth + 1).exists():
            continue
        home.numchild += 1
        ContentPage.objects.create(
            title=title,
            draft_title=title,
            slug=slug,
            content_type=content_type,
            path=f"{home.path}{home.numchild:04d}",
            depth=home.depth + 1,
            numchild=0,
            url_path=f"{home.url_path}{slug}/",
            locale_id=home.locale_id,
            live=True,
            intro=intro,
            body=_stream(_block_values(blocks)),
        )
    home.save(update_fields=["numchild"])


def remove_pages(apps, schema_editor):
    ContentPage = apps.get_model("cms.ContentPage")
    ContentPage.objects.filter(slug__in=[slug for slug, *_rest in PAGES]).delete()


class Migration(migrations.Migration):
    dependencies = [("cms", "0004_content_pages")]

    operations = [migrations.RunPython(create_pages, remove_pages)]
