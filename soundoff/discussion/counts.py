"""The count text, one definition for every page, script and API answer.

``response_count`` is the count in words for none and one, in digits
otherwise ("No Responses", "One Response", "2 Responses");
``soundoff_count`` is the discussion's header and the text beside each
post on index pages, "soundoff (One Response)".
"""

from django.utils.translation import gettext, ngettext


def response_count(count: int) -> str:
    if count == 0:
        return gettext("No Responses")
    return ngettext("One Response", "%(count)d Responses", count) % {"count": count}


def soundoff_count(count: int) -> str:
    # "soundoff" is the product's name, the same in every language.
    return f"soundoff ({response_count(count)})"
