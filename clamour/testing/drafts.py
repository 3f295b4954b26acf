"""Render a Markdown treaty text as plain text, DOCX and PDF for parser tests.

The renderings carry no Markdown markers, as files from negotiators would not:
headings become plain "Article 5 — Title" lines (or the DOCX "Heading" style),
bullets disappear, and the PDF wraps lines at the page width.
"""

from __future__ import annotations

import io
import re

ASCII = str.maketrans(
    {"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"', "\u2014": "-", "\u2013": "-"}
)


def _blocks(md: str) -> list[tuple[str, int, str]]:
    """(kind, indent level, text) for each Markdown line; kind is heading/item/para/blank."""
    out = []
    for raw in md.splitlines():
        if not raw.strip():
            out.append(("blank", 0, ""))
            continue
        indent = (len(raw) - len(raw.lstrip())) // 2
        text = raw.strip()
        if text.startswith("#"):
            out.append(("heading", 0, text.lstrip("#").strip()))
        elif text.startswith("- "):
            out.append(("item", indent, text[2:]))
        else:
            out.append(("para", 0, text))
    return out


def to_text(md: str, split_headings: bool = False) -> str:
    """Plain text; ``split_headings`` writes "Article 5" and its title on two lines."""
    lines = []
    for kind, indent, text in _blocks(md):
        if kind == "heading" and split_headings and " \u2014 " in text:
            head, title = text.split(" \u2014 ", 1)
            lines.extend([head, title])
        elif kind == "item":
            lines.append("    " * indent + text)
        else:
            lines.append(text)
    return "\n".join(lines) + "\n"


def to_docx(md: str) -> bytes:
    import docx

    document = docx.Document()
    for kind, indent, text in _blocks(md):
        if kind == "blank":
            continue
        if kind == "heading":
            document.add_heading(text, level=1 if text.startswith("The ") else 2)
        else:
            paragraph = document.add_paragraph(text)
            if indent:
                paragraph.paragraph_format.left_indent = docx.shared.Cm(indent)
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def to_pdf(md: str) -> bytes:
    """A wrapped, multi-page PDF in a core font (so curly quotes become ASCII)."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_auto_page_break(True, 15)
    pdf.add_page()
    pdf.set_font("Helvetica", size=11)
    for kind, indent, text in _blocks(md.translate(ASCII)):
        if kind == "blank":
            pdf.ln(3)
        elif kind == "heading":
            pdf.set_font("Helvetica", "B", 12)
            pdf.multi_cell(0, 6, text, new_x="LMARGIN", new_y="NEXT")
            pdf.set_font("Helvetica", size=11)
        else:
            pdf.set_x(pdf.l_margin + 8 * indent)
            pdf.multi_cell(0, 5, text, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def comparable(text: str) -> str:
    """Texts from different formats compare equal modulo quotes, dashes and spaces."""
    from clamour.lib.alignment.parse import normalise_text

    return re.sub(r"\s+", " ", normalise_text(text))


# ============================================================ draft generator
#
# Successive drafts built from a real treaty with a KNOWN mapping between
# provisions, to measure the aligner's precision and recall honestly.

import random  # noqa: E402
from dataclasses import dataclass, field  # noqa: E402

from clamour.lib.alignment.parse import Document, Provision, parse_text  # noqa: E402

NEW_SUBJECTS = [
    ("Each State Party", "shall"),
    ("States Parties", "shall endeavour to"),
    ("The Conference of States Parties", "may"),
    ("The Secretariat", "shall"),
    ("Each exporting State Party", "is encouraged to"),
    ("Each importing State Party", "shall, where feasible,"),
]
NEW_ACTIONS = [
    "publish an annual summary of its licensing decisions, including denials,",
    "establish a standing expert group to examine",
    "develop common guidelines on",
    "verify end-user certificates and conduct post-shipment inspections concerning",
    "provide training to customs and border officials on",
    "designate an independent oversight body responsible for",
    "convene regional workshops every two years to review",
    "maintain a public register describing",
    "consult survivors and affected communities on",
    "report within ninety days any suspected breach relating to",
]
NEW_TOPICS = [
    "the protection of civilians and humanitarian workers in situations of armed conflict",
    "the prevention of gender-based violence and violence against children",
    "the safe storage, marking and destruction of surplus stockpiles",
    "the traceability of small arms, light weapons and their ammunition",
    "the meaningful participation of civil society and independent researchers",
    "the environmental impact of munitions and the clearance of explosive remnants",
    "the transparency of brokering, financing and transport services",
    "the risk that transferred items are used to suppress peaceful protest",
]
NEW_TAILS = [
    "",
    ", taking into account the views of the most affected States",
    ", within two years of the entry into force of this Treaty for that State",
    ", in cooperation with relevant international and regional bodies",
    ", and shall make the results available to the public",
]
NEW_TITLES = ["Victim Assistance", "Transparency Register", "Stockpile Security", "Civil Society", "Review"]


def new_sentence(rng: random.Random) -> str:
    subject, modal = rng.choice(NEW_SUBJECTS)
    return f"{subject} {modal} {rng.choice(NEW_ACTIONS)} {rng.choice(NEW_TOPICS)}{rng.choice(NEW_TAILS)}."


@dataclass
class Chunk:
    """A paragraph-level provision of a generated draft and where it came from."""

    origin: list[str]  # ids in the base draft ([] for new text)
    text: str
    children: list[tuple[int, str, str]] = field(default_factory=list)  # (depth, label, text)


@dataclass
class DraftArticle:
    title: str
    chunks: list[Chunk]


@dataclass
class Draft:
    title: str
    chapeau: str
    preamble: list[Chunk]
    principles: list[Chunk]
    agreed: str
    articles: list[DraftArticle]
    closing: str

    @classmethod
    def from_document(cls, doc: Document) -> Draft:
        def chunk(p: Provision) -> Chunk:
            children: list[tuple[int, str, str]] = []

            def walk(node: Provision, depth: int) -> None:
                for c in node.children:
                    children.append((depth, c.label, c.text))
                    walk(c, depth + 1)

            walk(p, 0)
            return Chunk([p.id], p.text, children)

        return cls(
            doc.title,
            doc.chapeau,
            [chunk(p) for p in doc.preamble],
            [chunk(p) for p in doc.principles],
            doc.agreed_formula,
            [DraftArticle(a.title, [chunk(p) for p in a.provisions]) for a in doc.articles],
            doc.closing,
        )

    # -- rendering and ground truth

    def ids(self) -> list[tuple[str, Chunk]]:
        out = [(f"PP{i}", c) for i, c in enumerate(self.preamble, 1)]
        out += [(f"PR{i}", c) for i, c in enumerate(self.principles, 1)]
        for a, art in enumerate(self.articles, 1):
            for p, c in enumerate(art.chunks, 1):
                out.append((f"{a}" if len(art.chunks) == 1 else f"{a}.{p}", c))
        return out

    def truth(self, base_ids: list[str]) -> tuple[set[tuple[str, str]], set[str], set[str]]:
        """(old id, new id) pairs, removed old ids, added new ids."""
        pairs = {(o, n) for n, c in self.ids() for o in c.origin}
        used = {o for o, _ in pairs}
        added = {n for n, c in self.ids() if not c.origin}
        return pairs, set(base_ids) - used, added

    def to_markdown(self, article_order: list[int] | None = None) -> str:
        """Markdown text; ``article_order`` prints articles in another order
        while keeping their numbers (for order-independence tests)."""
        out = [f"# {self.title}", ""]
        out += ["## Preamble", "", self.chapeau, ""]
        for c in self.preamble:
            out += [c.text, ""]
        if self.principles:
            out += ["## Principles", ""]
            out += [f"- {c.text}" for c in self.principles]
            out += [""]
        if self.agreed:
            out += [self.agreed, ""]
        order = article_order if article_order is not None else list(range(len(self.articles)))
        for a in order:
            art = self.articles[a]
            out += [f"## Article {a + 1} \u2014 {art.title}", ""]
            for p, c in enumerate(art.chunks, 1):
                lead = c.text if len(art.chunks) == 1 else f"{p}. {c.text}"
                out.append(lead)
                for depth, label, text in c.children:
                    if label:
                        out.append("   " * (depth + 1) + f"- {label} {text}")
                    else:
                        out += ["", text]
                out.append("")
        out += [self.closing, ""]
        return "\n".join(out)


def _all_chunks(draft: Draft) -> list[Chunk]:
    return draft.preamble + draft.principles + [c for a in draft.articles for c in a.chunks]


def reword(text: str, rate: float, rng: random.Random, vocab: list[str]) -> str:
    """Change about ``rate`` of the words: substitutions, insertions, deletions."""
    words = text.split()
    if len(words) < 3:
        return text
    for _ in range(max(1, round(rate * len(words)))):
        op = rng.choice("sid")
        k = rng.randrange(1, len(words))  # keep the first word: it may carry a label
        if op == "s":
            words[k] = rng.choice(vocab)
        elif op == "i":
            words.insert(k, rng.choice(vocab))
        elif len(words) > 3:
            del words[k]
    return " ".join(words)


def _reword_chunk(c: Chunk, rate: float, rng: random.Random, vocab: list[str]) -> None:
    c.text = reword(c.text, rate, rng, vocab)
    c.children = [(d, lab, reword(t, rate, rng, vocab)) for d, lab, t in c.children]


def _split_text(text: str, rng: random.Random) -> tuple[str, str] | None:
    """Split after a sentence or clause near the middle."""
    cuts = [m.end() for m in re.finditer(r"[.;:] (?=[A-Z])", text)]
    if not cuts:
        return None
    mid = len(text) / 2
    cut = min(cuts, key=lambda c: abs(c - mid))
    first, second = text[:cut].strip(), text[cut:].strip()
    if len(first.split()) < 6 or len(second.split()) < 6:
        return None
    return first, second


def make_draft(base: Document, seed: int, intensity: float = 1.0) -> Draft:
    """A plausible next draft of ``base`` with a known provenance for each provision."""
    rng = random.Random(seed)
    draft = Draft.from_document(base)
    vocab = sorted({w.strip(",.;:()") for p in base.provisions() for w in p.full_text.split()} - {""})
    arts = draft.articles

    def times(lo: int, hi: int) -> int:
        return rng.randint(lo, max(lo, round(hi * intensity)))

    # Split paragraphs (no sub-items, at least two sentences).
    for _ in range(times(1, 2)):
        cands = [
            (a, i)
            for a in arts
            for i, c in enumerate(a.chunks)
            if not c.children and _split_text(c.text, rng)
        ]
        if cands:
            art, i = rng.choice(cands)
            first, second = _split_text(art.chunks[i].text, rng)  # type: ignore[misc]
            origin = art.chunks[i].origin
            art.chunks[i : i + 1] = [Chunk(list(origin), first), Chunk(list(origin), second)]
    # Merge two neighbouring paragraphs of one article.
    for _ in range(times(1, 2)):
        cands = [(a, i) for a in arts for i in range(len(a.chunks) - 1)]
        if cands:
            art, i = rng.choice(cands)
            x, y = art.chunks[i], art.chunks[i + 1]
            merged = Chunk(x.origin + y.origin, x.text, list(x.children))
            if y.text:
                if merged.children:
                    merged.children.append((0, "", y.text))
                else:
                    merged.text = f"{x.text} {y.text}"
            merged.children += y.children
            art.chunks[i : i + 2] = [merged]
    # Move paragraphs to another article.
    for _ in range(times(1, 3)):
        src = rng.choice([a for a in arts if len(a.chunks) > 1] or arts)
        chunk = src.chunks.pop(rng.randrange(len(src.chunks)))
        dst = rng.choice(arts)
        dst.chunks.insert(rng.randint(0, len(dst.chunks)), chunk)
    # Delete paragraphs, sometimes a whole article (renumbers what follows).
    for _ in range(times(1, 3)):
        art = rng.choice([a for a in arts if len(a.chunks) > 1] or arts)
        art.chunks.pop(rng.randrange(len(art.chunks)))
    if rng.random() < 0.5 * intensity:
        arts.pop(rng.randrange(len(arts)))
    arts[:] = [a for a in arts if a.chunks]
    # Insert new paragraphs and sometimes a new article.
    for _ in range(times(1, 3)):
        art = rng.choice(arts)
        art.chunks.insert(rng.randint(0, len(art.chunks)), Chunk([], new_sentence(rng)))
    if rng.random() < 0.7 * intensity:
        body = [
            Chunk([], " ".join(new_sentence(rng) for _ in range(rng.randint(1, 2))))
            for _ in range(rng.randint(1, 3))
        ]
        arts.insert(rng.randint(0, len(arts)), DraftArticle(rng.choice(NEW_TITLES), body))
    # Preamble: delete one, add one.
    if len(draft.preamble) > 3:
        draft.preamble.pop(rng.randrange(len(draft.preamble)))
        pp = new_sentence(rng).replace(".", ",")
        new_pp = Chunk([], "Recognizing that " + pp[0].lower() + pp[1:])
        draft.preamble.insert(rng.randint(0, len(draft.preamble)), new_pp)
    # Reword a share of everything (5-30% of the words of each touched provision).
    for c in _all_chunks(draft):
        if rng.random() < 0.4 * min(1.0, intensity) + 0.1:
            _reword_chunk(c, rng.uniform(0.05, 0.30), rng, vocab)
    return draft


def make_pair(base_md: str, seed: int, intensity: float = 1.0) -> tuple[Document, Document, Draft]:
    """(old document, new document, generated draft with its ground truth)."""
    base = parse_text(base_md)
    draft = make_draft(base, seed, intensity)
    return base, parse_text(draft.to_markdown()), draft


def scaled_markdown(base_md: str, factor: int, seed: int = 0) -> str:
    """A treaty ``factor`` times as long: renumbered copies with varied wording."""
    base = parse_text(base_md)
    rng = random.Random(seed)
    vocab = sorted({w.strip(",.;:()") for p in base.provisions() for w in p.full_text.split()} - {""})
    big = Draft.from_document(base)
    big.preamble, big.principles, big.articles = [], [], []
    for copy in range(factor):
        part = Draft.from_document(base)
        for c in _all_chunks(part):
            if copy:
                _reword_chunk(c, rng.uniform(0.1, 0.3), rng, vocab)
            c.origin = [f"{copy}:{o}" for o in c.origin]
        big.preamble += part.preamble
        big.principles += part.principles
        big.articles += part.articles
    return big.to_markdown()


def signature(doc: Document) -> tuple:
    """Everything the formats must agree on, modulo quotes/dashes/whitespace."""
    return (
        comparable(doc.title),
        comparable(doc.chapeau),
        comparable(doc.agreed_formula),
        comparable(doc.closing),
        [(a.number, comparable(a.title)) for a in doc.articles],
        [(p.id, p.kind, comparable(p.full_text)) for p in doc.provisions()],
        [[c.id for c in p.children] for p in doc.provisions()],
    )
