"""``{% csp_nonce %}``: the nonce that lets one of our inline scripts run on a staff screen
(cms/security_headers.py). Only templates of this repository write it; what a person typed is
escaped as text and never gets it."""

from django import template

from cms.security_headers import current_nonce

register = template.Library()


@register.simple_tag
def csp_nonce():
    return current_nonce()
