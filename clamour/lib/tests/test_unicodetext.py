from hypothesis import given
from hypothesis import strategies as st

from clamour.lib.unicodetext import (
    BIDI_CONTROLS,
    clean_line,
    clean_text,
    is_mixed_script,
    skeleton,
)


def test_bidi_overrides_and_isolates_are_removed():
    # "exe.txt" would read "txt.exe" with the right-to-left override in front of it.
    assert clean_text("invoice\u202eexe.txt") == "invoiceexe.txt"
    assert clean_text("a\u2066b\u2069c\u202ad\u202c") == "abcd"


def test_zero_width_tricks_are_removed_but_joiners_kept():
    assert clean_text("sp\u200bam\u2060\ufeff") == "spam"
    family = "\U0001f468\u200d\U0001f469\u200d\U0001f467"
    assert clean_text(family) == family  # emoji sequence keeps its joiners
    persian = "می\u200cخواهم"
    assert clean_text(persian) == persian  # the non-joiner is part of the spelling
    flag = "\U0001f3f4\U000e0067\U000e0062\U000e0073\U000e0063\U000e0074\U000e007f"
    assert clean_text(flag) == flag


def test_control_characters_and_line_separators_go():
    assert clean_text("a\x00b\x07c\u2028d") == "abcd"
    assert clean_text("one\r\ntwo\rthree") == "one\ntwo\nthree"


def test_blank_lines_and_spaces_are_tidied():
    assert clean_text("  a   b \n\n\n\n c\t\td  ") == "a b\n\nc d"
    assert clean_line("Sam\n\nSupporter") == "Sam Supporter"


def test_combining_mark_floods_are_cut():
    zalgo = "h" + "\u0301\u0302\u0303\u0304\u0305\u0306\u0307\u0308" * 10 + "i"
    cleaned = clean_text(zalgo)
    assert len(cleaned) <= 2 + 4
    assert cleaned.startswith("h") and cleaned.endswith("i")
    assert clean_text("Tiếng Việt") == "Tiếng Việt"


def test_skeleton_folds_lookalikes_case_width_and_invisibles():
    assert skeleton("ѕраm") == "spam"  # Cyrillic
    assert skeleton("ＳＰＡＭ") == "spam"  # fullwidth
    assert skeleton("𝐬𝐩𝐚𝐦") == "spam"  # mathematical bold
    assert skeleton("s\u200bp\u200da\u00adm") == "spam"
    assert skeleton("Späm") == "spam"


def test_mixed_script_words():
    assert is_mixed_script("pаypal")  # Cyrillic а
    assert not is_mixed_script("paypal")
    assert not is_mixed_script("москва")
    assert not is_mixed_script("ελλάδα")


@given(st.text())
def test_cleaned_text_never_contains_bidi_controls_or_nulls(text):
    cleaned = clean_text(text)
    assert not set(cleaned) & BIDI_CONTROLS
    assert "\x00" not in cleaned
    assert clean_text(cleaned) == cleaned


@given(st.text())
def test_skeleton_never_fails(text):
    assert isinstance(skeleton(text), str)


def test_clean_name_keeps_real_names_and_empties_invisible_ones():
    from clamour.lib.unicodetext import clean_name

    assert clean_name("  Zoë \u200b O\u2019Brien ") == "Zoë O\u2019Brien"
    assert clean_name("\u202eevil\u202c Mallory") == "evil Mallory"
    assert clean_name("مریم\u200c") == "مریم\u200c"  # the non-joiner real Persian needs
    assert clean_name("李") == "李"
    for invisible in ["\u200b\u200b", "\u3164\u3164", "\u2800", "\u0301", "\u202e\u202c", " "]:
        assert clean_name(invisible) == ""
