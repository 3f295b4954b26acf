"""Email addresses people type: one spelling per mailbox, and what is never an address.

No Django imports here; the form field every form uses is clamour.core.fields.EmailAddressField.
"""

import unicodedata


def has_control_characters(text: str) -> bool:
    """True if `text` holds a control character (C0, DEL or C1: tab, CR, LF, NUL …).
    RFC 5322 lets a quoted local part carry some of them (`"a\\x01b"@example.net`); no
    mailbox a person uses does, and they break headers and logs downstream."""
    return any(unicodedata.category(char) == "Cc" for char in text)


def normalise_email(email: str) -> str:
    """One spelling per mailbox: trimmed, domain lower-cased, local part lower-cased.

    Lower-casing the local part is not strictly RFC 5321, but no mailbox provider that
    supporters use treats case as significant, and it is what makes one record per person.
    """
    return email.strip().lower()
