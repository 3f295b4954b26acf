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


def compose(body: str, values: dict[str, str]) -> str:
    """The letter as the recipient reads it: greeting, the body, signature."""
    name = values.get("target_name")
    greeting = f"Dear {name}," if name else "Dear Sir or Madam,"
    signature = values.get("supporter_name", "")
    if values.get("supporter_country"):
        signature += f"\n{values['supporter_country']}"
    return f"{greeting}\n\n{fill(body, values).strip()}\n\nYours sincerely,\n{signature}\n"
