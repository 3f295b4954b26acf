"""The interface languages: which address a page has in each of them.

English pages have no prefix (/campaigns/x/), the others one (/fr/campaigns/x/); staff
and machine addresses are the same in every language.
"""

from django.conf import settings
from django.urls import reverse, translate_url
from django.utils import translation
from django.utils.http import urlencode


def path_in_language(path: str, code: str) -> str:
    """`path` (with or without a language prefix, with its query string) as it is in
    language `code`; a path that is not a page of ours comes back as it was."""
    current = translation.get_language_from_path(path) or settings.LANGUAGE_CODE
    with translation.override(current):
        return translate_url(path, code)


def language_links(path: str) -> list[dict]:
    """For the switcher and the hreflang alternates of the page at `path` (no query
    string): each language's local name, the page's address in it, and the link that
    switches to it (and remembers the choice)."""
    active = translation.get_language()
    links = []
    for code, name in settings.LANGUAGES:
        links.append({
            "code": code,
            "name": name,  # as settings.LANGUAGES writes it: in the language itself
            "bidi": translation.get_language_info(code)["bidi"],
            "path": path_in_language(path, code),
            "switch": f"{reverse('choose_language', args=[code])}?{urlencode({'next': path})}",
            "active": code == active,
        })
    return links
