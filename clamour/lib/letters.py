"""Letters: fill in placeholders, add greeting and signature.

Only the named placeholders are replaced (no str.format, so a supporter who types
"{0.__class__}" into a letter gets exactly that text back).
"""

import re

PLACEHOLDERS = ("supporter_name", "supporter_country", "target_name", "target_title",
                "target_country")
_PATTERN = re.compile(r"\{(" + "|".join(PLACEHOLDERS) + r")\}")


def fill(template: str, values: dict[str, str]) -> str:
    """Replace {placeholder} with its value; unknown braces are left as they are."""
    return _PATTERN.sub(lambda m: values.get(m.group(1), ""), template)


ENGLISH = {"dear": "Dear {name},", "anyone": "Dear Sir or Madam,", "closing": "Yours sincerely,"}


def compose(body: str, values: dict[str, str], words: dict[str, str] = ENGLISH) -> str:
    """The letter as the recipient reads it: greeting, the body, signature. `words` are
    the greeting to a named recipient ("{name}" stands for the name), to anyone, and the
    closing, in the letter's language."""
    name = values.get("target_name")
    greeting = words["dear"].replace("{name}", name) if name else words["anyone"]
    signature = values.get("supporter_name", "")
    if values.get("supporter_country"):
        signature += f"\n{values['supporter_country']}"
    return f"{greeting}\n\n{fill(body, values).strip()}\n\n{words['closing']}\n{signature}\n"


def fill_known(text: str, values: dict[str, str], stand_ins: dict[str, str]) -> str:
    """The letter as a supporter sees it while writing: each placeholder (or the
    stand-in shown for it earlier) becomes its value where the value is known, and its
    stand-in (words such as "[your country]") where it is not yet. Never raw braces."""
    for name in PLACEHOLDERS:
        value = values.get(name) or stand_ins[name]
        text = text.replace("{" + name + "}", value)
        if value != stand_ins[name]:
            text = text.replace(stand_ins[name], value)
    return text


def restore_placeholders(text: str, stand_ins: dict[str, str]) -> str:
    """Stand-ins still in a submitted letter become placeholders again, so that each
    recipient's copy is filled in when it is sent (`fill`)."""
    for name in PLACEHOLDERS:
        text = text.replace(stand_ins[name], "{" + name + "}")
    return text
