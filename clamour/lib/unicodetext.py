"""Unicode tricks in text people type: what to remove before showing it, and how to
compare two strings that only look the same.

Two jobs, kept apart:

- `clean_text` is for text we store and show (comments, names). It removes what has no
  business in a comment: bidirectional overrides that reverse the text around them
  (the "RTL override" trick that makes `exe.txt` read as `txt.exe`), zero-width and
  other invisible format characters, control characters, and floods of combining marks
  ("Zalgo" text). It keeps what real writing needs: the zero-width joiner (emoji,
  Indic scripts), the zero-width non-joiner (Persian), left-to-right and right-to-left
  marks, and the tag characters of flag emoji.
- `skeleton` is for matching only (blocklists, duplicate detection): compatibility
  forms folded (NFKC: fullwidth and mathematical letters become plain ones), case
  folded, every invisible character dropped, and letters from other scripts that look
  Latin mapped to the Latin letter they imitate, so "ѕраm" (Cyrillic) matches "spam".

No Django imports here.
"""

from __future__ import annotations

import re
import unicodedata

# Bidirectional embeddings, overrides and isolates: they reorder the text around them.
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
# Format characters that real writing needs.
KEEP_FORMAT = frozenset("\u200c\u200d\u200e\u200f")
MAX_COMBINING = 4  # per base character; real scripts need at most a few

# Letters of other scripts (and a few symbols) that look like Latin ones. Applied
# after case folding, so only lower-case forms are needed. A deliberately short list
# of the characters that spammers and phishers actually use, not the full Unicode
# confusables table.
CONFUSABLES = str.maketrans(
    {
        # Cyrillic
        "а": "a",
        "в": "b",
        "е": "e",
        "ё": "e",
        "к": "k",
        "м": "m",
        "н": "h",
        "о": "o",
        "р": "p",
        "с": "c",
        "т": "t",
        "у": "y",
        "х": "x",
        "ѕ": "s",
        "і": "i",
        "ї": "i",
        "ј": "j",
        "ԁ": "d",
        "һ": "h",
        "ӏ": "l",
        "ԛ": "q",
        "ԝ": "w",
        "ү": "y",
        "ɡ": "g",
        "ɑ": "a",
        "ո": "n",
        "ս": "u",
        "օ": "o",
        "ք": "q",
        # Greek
        "α": "a",
        "β": "b",
        "ε": "e",
        "η": "n",
        "ι": "i",
        "κ": "k",
        "ν": "v",
        "ο": "o",
        "ρ": "p",
        "τ": "t",
        "υ": "u",
        "χ": "x",
        "ϲ": "c",
        "ϳ": "j",
        "ω": "w",
        # Latin look-alikes and digits used as letters in domains
        "ı": "i",
        "ł": "l",
        "ſ": "s",
        "ℓ": "l",
    }
)
LEET = str.maketrans(
    {"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s"}
)

_SPACES = re.compile(r"[^\S\n]+")
_BLANK_LINES = re.compile(r"\n{3,}")


def _is_tag_char(ch: str) -> bool:
    return "\U000e0020" <= ch <= "\U000e007f"


def clean_text(text: str, *, multiline: bool = True) -> str:
    """Text safe to store and show: see the module docstring for what goes."""
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    out = []
    combining = 0
    for ch in text:
        if ch == "\n":
            out.append("\n" if multiline else " ")
            combining = 0
            continue
        if ch == "\t":
            out.append(" ")
            continue
        category = unicodedata.category(ch)
        if ch in BIDI_CONTROLS:
            continue
        if category == "Cf" and ch not in KEEP_FORMAT and not _is_tag_char(ch):
            continue
        if category in ("Cc", "Cs", "Co", "Zl", "Zp"):
            continue
        if category.startswith("M"):
            combining += 1
            if combining > MAX_COMBINING:
                continue
        else:
            combining = 0
        out.append(ch)
    text = "".join(out)
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


def clean_line(text: str) -> str:
    """A one-line value such as a name: cleaned, on one line, single spaces."""
    return clean_text(text, multiline=False)


# Letters and symbols that draw nothing (fillers and blanks), which a name made only of
# them would show as empty.
BLANK_GLYPHS = frozenset("\u115f\u1160\u3164\uffa0\u2800")


def clean_name(text: str) -> str:
    """A person's name, cleaned as `clean_line` does; "" when nothing visible is left
    (a name of zero-width spaces, blank fillers or lone marks), so that forms can ask
    for a name people can read."""
    name = clean_line(text)
    visible = any(
        unicodedata.category(ch)[0] in "LNS" and ch not in BLANK_GLYPHS for ch in name
    )
    return name if visible else ""


def skeleton(text: str) -> str:
    """The form of `text` used only for comparing: see the module docstring."""
    text = unicodedata.normalize("NFKC", text).casefold()
    kept = []
    for ch in text:
        category = unicodedata.category(ch)
        if category in ("Cf", "Cc", "Mn", "Me") and ch != "\n":
            continue
        kept.append(ch)
    text = unicodedata.normalize("NFKC", "".join(kept)).translate(CONFUSABLES)
    # Strip accents too: "späm" matches "spam".
    text = "".join(
        ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch)
    )
    return _SPACES.sub(" ", text).strip()


def unleet(text: str) -> str:
    """A skeleton with digits and symbols read as the letters they stand for."""
    return text.translate(LEET)


def scripts_of(text: str) -> set[str]:
    """The scripts of the letters in `text` (first word of each character's Unicode name:
    LATIN, CYRILLIC, GREEK …); digits, marks and punctuation are ignored."""
    found = set()
    for ch in text:
        if ch.isalpha():
            name = unicodedata.name(ch, "")
            if name:
                found.add(name.split(" ")[0])
    return found


def is_mixed_script(word: str) -> bool:
    """True when one word mixes letters of Latin with Cyrillic or Greek, the mark of a
    look-alike ("pаypal" with a Cyrillic а)."""
    scripts = scripts_of(word)
    return "LATIN" in scripts and bool(scripts & {"CYRILLIC", "GREEK", "ARMENIAN"})
