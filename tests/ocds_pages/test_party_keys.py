"""The one rule for party ids built from an RFC (ocds_pages.party_keys)."""

from ocds_pages.party_keys import RFC_SCHEME, rfc_party_id


def test_rfc_party_id_is_scheme_dash_rfc():
    assert RFC_SCHEME == "MX-RFC"
    assert rfc_party_id("MME920427EM3") == "MX-RFC-MME920427EM3"
