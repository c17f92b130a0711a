"""StreamField blocks of the site's content pages (help, publication policy, data licence…)."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks


class HeadingBlock(blocks.StructBlock):
    """A section heading; the level keeps the page outline valid for screen readers."""

    text = blocks.CharBlock(label=_("Texto"), max_length=200)
    level = blocks.ChoiceBlock(
        label=_("Nivel"),
        choices=[("h2", _("Sección (h2)")), ("h3", _("Subsección (h3)"))],
        default="h2",
    )

    class Meta:
        icon = "title"
        label = _("Encabezado")
        template = "cms/blocks/heading_block.html"


class CalloutBlock(blocks.StructBlock):
    """A highlighted note, e.g. where to write to correct published data."""

    title = blocks.CharBlock(label=_("Título"), max_length=200)
    text = blocks.RichTextBlock(label=_("Texto"), features=["bold", "italic", "link"])

    class Meta:
        icon = "warning"
        label = _("Aviso destacado")
        template = "cms/blocks/callout_block.html"


class BodyBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(
        label=_("Párrafo"),
        icon="pilcrow",
        features=["bold", "italic", "link", "ol", "ul", "document-link"],
    )
    callout = CalloutBlock()
