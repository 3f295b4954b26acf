from django import template

from clamour.supporters.session import current_supporter as _current_supporter

register = template.Library()


@register.simple_tag(takes_context=True)
def current_supporter(context):
    """The logged-in supporter, or None. Costs no query for visitors without a session."""
    request = context.get("request")
    return _current_supporter(request) if request is not None and hasattr(request, "session") else None
