"""Compile the translation catalogues (.po → .mo) with polib, so an install needs no
gettext tools. A catalogue's .mo is written only when its .po is newer."""

from pathlib import Path

import polib


def compile_catalogues(locale_dir: Path) -> list[Path]:
    """Write every `<lang>/LC_MESSAGES/*.mo` under `locale_dir` that is missing or older
    than its .po; fuzzy and untranslated entries are left out (English is shown).
    Returns the files written."""
    written = []
    for po_path in sorted(Path(locale_dir).glob("*/LC_MESSAGES/*.po")):
        mo_path = po_path.with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        polib.pofile(str(po_path)).save_as_mofile(str(mo_path))
        written.append(mo_path)
    return written
