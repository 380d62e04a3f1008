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
