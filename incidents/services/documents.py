"""Every kind of signed document the app produces. Importing this module registers how each one's
content is fingerprinted, so `verify_pdf` can compare any of them with what the app holds now."""

from incidents.services import audit_pack, policy_exports, records, transfers  # noqa: F401
