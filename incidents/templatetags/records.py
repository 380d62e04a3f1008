from django import template

from incidents import access

register = template.Library()


@register.inclusion_tag("incidents/_records_section.html", takes_context=True)
def record_section(context, incident):
    """The incident page's 'Record and access' section, shown to whoever may use it."""
    user = context["request"].user
    return {
        "incident": incident,
        "can_export": access.can_export_record(user, incident),
        "can_see_access_log": access.can_see_access_log(user, incident),
    }


@register.filter
def css_string(value) -> str:
    """Text for a CSS string in a PDF's page margins: every character that is not a plain letter,
    digit or space becomes a CSS hex escape, so quotes, backslashes and `</style>` stay text."""
    from django.utils.safestring import mark_safe

    out = []
    for char in str(value):
        out.append(char if char.isascii() and (char.isalnum() or char == " ") else f"\\{ord(char):x} ")
    # nosemgrep: ysi-mark-safe-on-data - every character but ASCII letters, digits and spaces is escaped
    return mark_safe("".join(out))  # noqa: S308 # nosec B308 B703 # every unsafe character is escaped above


@register.inclusion_tag("incidents/_transfers_due_panel.html", takes_context=True)
def transfers_due_panel(context):
    from django.utils import timezone

    from incidents.services.transfers import transfers_due

    setting_ids = access.setting_ids_with_roles(context["request"].user, access.TRANSFER_ROLES)
    return {
        "show": bool(setting_ids),
        "due": transfers_due(setting_ids) if setting_ids else [],
        "today": timezone.localdate(),
    }


@register.filter
def can_read_audit(user) -> bool:
    return bool(access.setting_ids_with_roles(user, access.AUDIT_PACK_ROLES))


@register.filter
def can_transfer_anywhere(user) -> bool:
    return bool(access.setting_ids_with_roles(user, access.TRANSFER_ROLES))
