"""Every piece of HTML the app builds, escaped here and nowhere else: labelled text (one colour and one underline
style per technique, readable where spans overlap), the legend, and the printable handout.

The contract, relied on by the tests and by every page:
- every slice of user text is escaped (`html.escape`), between spans and inside them;
- everything we add (technique, definition, score, voice, "why this span?") lives in attributes, shown by a CSS
  tooltip (`content: attr(data-tip)`), so removing the tags and unescaping the entities gives back the text exactly;
- line breaks are kept by `white-space: pre-wrap` and written as `&#10;`, so the whole fragment is one line of
  HTML, which Markdown passes through untouched (a blank line would end the HTML block and let Markdown rewrite
  the rest of the text);
- colours come only from the fixed `STYLES` below, never from input.

Overlaps: the text is cut at every span boundary; each segment carries the set of techniques covering it and is
drawn as nested elements, one per technique, the outer ones with more bottom padding, so their underlines stack
instead of hiding each other (see docs/decisions/highlighting.md).
"""
import html
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace

from model.evidence import Evidence
from model.features import Valence
from model.spans import Span, sort_spans
from model.techniques import DEFINITIONS, TECHNIQUES, TITLES
from model.textio import ENGLISH_FUNCTION_WORDS
from ui.classroom import span_text, split_sentences


@dataclass(frozen=True)
class Style:
    tint: str  # background, light enough for black text
    line: str  # underline colour, strong
    underline: str  # CSS border style: solid, double, dashed, dotted
    width: int  # underline width in px


# Okabe-Ito colours (distinguishable with the common colour-vision deficiencies), plus a different underline per
# technique so that the technique can be told without colour (grey-scale projector, print, colour blindness).
STYLES = {
    "loaded_language": Style(tint="rgba(230, 159, 0, 0.30)", line="#D55E00", underline="solid", width=3),
    "name_calling": Style(tint="rgba(86, 180, 233, 0.32)", line="#0072B2", underline="double", width=5),
    "foreign_hand": Style(tint="rgba(0, 158, 115, 0.24)", line="#006B4E", underline="dashed", width=3),
}
UNDERLINE_NAMES = {"solid": "solid underline", "double": "double underline", "dashed": "dashed underline"}

VOICE_WORDS = {"author": "in the author's own voice", "quoted": "quoted from someone else"}
VOICE_COLOURS = {"author": "#1F4E79", "quoted": "#9DC3E6"}

_STACK_STEP = 6  # px between stacked underlines


def _attr(value: str) -> str:
    """Text for an attribute value (or element content): escaped, line breaks as entities so the HTML stays one line."""
    return html.escape(value, quote=True).replace("\r", "&#13;").replace("\n", "&#10;")


def _css() -> str:
    rules = [
        # position:relative on the text, not the mark: the tooltip takes the text's width (it never runs off the
        # right edge of a column) and, with top:auto, the vertical place of the mark's end, plus a margin.
        ".slant-text{position:relative;white-space:pre-wrap;line-height:2.0;font-size:1.08rem;overflow-wrap:anywhere;"
        # room under the last line for three stacked underlines: they must not cross what follows the text
        f"padding-bottom:{(len(TECHNIQUES) - 1) * _STACK_STEP + 6}px;}}",
        ".slant-text.slant-large{font-size:1.3rem;line-height:2.2;}",
        # One sentence with few spans (the quiz): room for one underline only, so that a question fits a screen.
        ".slant-text.slant-compact{line-height:1.5;padding-bottom:4px;}",
        # Options one under the other in one box (the quiz): a thin line between them.
        "[data-testid=stElementContainer]:has(.slant-compact)~[data-testid=stElementContainer] .slant-compact"
        "{border-top:1px solid rgba(49,51,63,.2);padding-top:.5rem;}",
        # A text without highlights needs no room between its lines for stacked underlines (the quiz's options).
        ".slant-text:not(:has(mark)),.slant-text.slant-large:not(:has(mark)){line-height:1.6;}",
        # Only colour and shape here: background and padding come from the technique and level classes below.
        ".slant-text mark,.slant-legend mark{color:inherit;border-radius:2px;}",
        ".slant-text mark{cursor:help;}",
        ".slant-text mark:focus{outline:2px solid #111;outline-offset:1px;}",
        # The tooltip: the element's own data-tip attribute, shown on hover and on click/tap (focus).
        ".slant-text mark[data-tip]:hover::after,.slant-text mark[data-tip]:focus::after{content:attr(data-tip);"
        "position:absolute;left:0;top:auto;margin-top:2.1em;z-index:1000;max-width:36rem;"
        "white-space:pre-line;background:#111;color:#fff;padding:.55rem .75rem;border-radius:6px;"
        "font-size:1rem;line-height:1.4;font-weight:400;box-shadow:0 2px 10px rgba(0,0,0,.35);}",
        ".slant-text.slant-large mark[data-tip]:hover::after,.slant-text.slant-large mark[data-tip]:focus::after"
        "{font-size:1.25rem;}",
        # Where the browser can anchor it (Chrome and Edge 131+), the tooltip is placed against its own mark in the
        # window and flips above it, or leftwards, instead of running off the bottom or right of the screen.
        "@supports (position-try-fallbacks:flip-block) and (anchor-scope:--a){"
        ".slant-text mark{anchor-name:--slant-mark;anchor-scope:--slant-mark;}"
        ".slant-text mark[data-tip]:hover::after,.slant-text mark[data-tip]:focus::after{position:fixed;"
        "position-anchor:--slant-mark;top:anchor(bottom);left:anchor(left);margin-top:.35em;"
        "position-try-fallbacks:flip-block,flip-inline,flip-block flip-inline;}}",
        ".slant-legend{display:flex;flex-wrap:wrap;gap:.4rem 1.4rem;align-items:baseline;margin:.2rem 0 .6rem;}",
        ".slant-legend mark{font-weight:600;}",
        ".slant-legend .slant-how{color:#444;font-size:.9em;}",
        # Author versus quoted: one bar per source, the two shares side by side, each named in words.
        ".slant-voice{margin:.1rem 0 .7rem;}",
        ".slant-voice-source{font-size:.9rem;white-space:nowrap;overflow:hidden;text-overflow:ellipsis;}",
        ".slant-voice-bar{display:flex;height:1.7rem;border-radius:4px;overflow:hidden;background:#eef1f5;"
        "font-size:.9rem;line-height:1.7rem;}",
        ".slant-voice-bar div{white-space:nowrap;overflow:hidden;text-overflow:ellipsis;padding:0 .4rem;}",
        f".slant-voice-author{{background:{VOICE_COLOURS['author']};color:#fff;}}",
        f".slant-voice-quoted{{background:{VOICE_COLOURS['quoted']};color:#111;}}",
        ".slant-voice-none{color:#444;}",
    ]
    for technique, style in STYLES.items():
        rules.append(
            f".slant-text .slant-t-{technique},.slant-legend .slant-t-{technique}{{background-color:{style.tint};"
            f"border-bottom:{style.width}px {style.underline} {style.line};}}"
        )
    for level in range(len(TECHNIQUES)):
        rules.append(f".slant-text .slant-l{level},.slant-legend .slant-l{level}"
                     f"{{padding-bottom:{1 + level * _STACK_STEP}px;}}")
    return "".join(rules)


STYLE = f"<style>{_css()}</style>"
# The projector switch: the whole page one size up (Streamlit sizes nearly everything in rem), the texts two.
# On a projector every pixel of height counts: less empty space above the page's content.
LARGE_PAGE_STYLE = ("<style>html{font-size:20px;}[data-testid='stMainBlockContainer']{padding-top:2.5rem;}"
                    "h1{font-size:2.2rem !important;}</style>")


def score_words(span: Span) -> str:
    return f"score {span.score:.2f}"


def quoted_words(words) -> str:
    return ", ".join(f"“{w}”" for w in words)


# Words of grammar: the language check's list (model/textio.py) and the short ones it leaves out as not only English.
_GRAMMAR = ENGLISH_FUNCTION_WORDS | frozenset("a in as at no do to".split())


def telling_claim_words(evidence: Evidence) -> tuple[str, ...]:
    """The claim words worth showing a reader: not a word of grammar ("in"), and not a capitalised piece of a name
    that is no outside actor ("Forces", "Fund" of "International Monetary Fund"), which explain nothing."""
    actors = {a.casefold() for a in evidence.actors}
    return tuple(w for w in evidence.claim_words if w.casefold() not in _GRAMMAR
                 and (w[:1].islower() or w.casefold() in actors))


def reason(evidence: Evidence) -> str:
    """Why the model marked a span, in words a student can check (from model/evidence.py's evidence)."""
    title = TITLES[evidence.technique].lower()
    parts = []
    if evidence.technique == "foreign_hand":
        if evidence.actors:
            parts.append(f"it names an outside actor ({quoted_words(evidence.actors[:3])})")
        if evidence.steering:
            parts.append(f"it has a word of steering, paying or organising ({quoted_words(evidence.steering[:3])})")
        if claim_words := telling_claim_words(evidence):
            parts.append(f"the words that read most like such a claim: {quoted_words(claim_words)}")
    else:
        charged = [(w, b) for w, b in evidence.charged_words if b in ("neg2", "pos2")] or evidence.charged_words
        if charged:
            parts.append(", ".join(f"“{w}” is a {Valence.NAMES[b]} word" for w, b in charged[:3]))
        if evidence.marked_words:
            parts.append(f"annotators often marked {quoted_words(evidence.marked_words[:3])} as {title} in the "
                         "news the model learned from")
        if evidence.similar_marked:
            parts.append(f"words close in meaning that they marked: {quoted_words(evidence.similar_marked)}")
    if not parts:
        return "Why? No single word stands out: the model read the words around it."
    return "Why? " + "; ".join(parts) + "."


def tooltip(span: Span, evidence: Evidence | None = None, gold: bool = False, origin: str | None = None) -> str:
    """Plain text shown on hover: technique, who labelled it (score, or the teacher's review), voice, definition,
    why."""
    who = "human annotation" if gold else origin or score_words(span)
    lines = [f"{TITLES[span.technique]} · {who} · {VOICE_WORDS[span.voice]}", DEFINITIONS[span.technique]]
    if evidence is not None:
        lines.append(reason(evidence))
    return "\n".join(lines)


def segments(length: int, spans: Iterable[Span]) -> list[tuple[int, int, list[Span]]]:
    """Cut [0, length) at every span boundary: (start, end, spans covering it), in order, covering the whole text.
    One sweep over the cuts with the spans open at each (a long text with many spans stays linear)."""
    spans = sorted((s for s in spans if s.start < length), key=lambda s: s.start)
    cuts = sorted({0, length} | {s.start for s in spans} | {min(s.end, length) for s in spans})
    out, open_spans, next_span = [], [], 0
    for start, end in zip(cuts, cuts[1:], strict=False):
        while next_span < len(spans) and spans[next_span].start <= start:
            open_spans.append(spans[next_span])
            next_span += 1
        # No span ends inside (start, end): it is a cut. So every span still open covers the whole segment.
        open_spans = [s for s in open_spans if s.end > start]
        out.append((start, end, list(open_spans)))
    return out


def _marked(piece: str, covering: list[Span], reasons: Mapping[Span, Evidence], gold: bool,
            origins: Mapping[Span, str]) -> str:
    techniques = sorted({s.technique for s in covering}, key=TECHNIQUES.index)
    tip = "\n\n".join(tooltip(s, reasons.get(s), gold, origins.get(s)) for s in sorted(covering, key=_reading_order))
    inner = _attr(piece)
    # Innermost technique last in TECHNIQUES order; each outer level gets a lower underline.
    for depth, technique in enumerate(reversed(techniques[1:])):
        inner = f'<span class="slant-t-{technique} slant-l{depth}">{inner}</span>'
    first = techniques[0]
    return (
        f'<mark class="slant-t-{first} slant-l{len(techniques) - 1}" tabindex="0" '
        f'data-techniques="{" ".join(techniques)}" data-tip="{_attr(tip)}">{inner}</mark>'
    )


def _reading_order(span: Span):
    return (span.start, span.end, TECHNIQUES.index(span.technique))


def render_html(
    text: str,
    spans: Iterable[Span],
    reasons: Mapping[Span, Evidence] | None = None,
    gold: bool = False,
    large: bool = False,
    compact: bool = False,
    origins: Mapping[Span, str] | None = None,
) -> str:
    """`text` as one line of HTML with `spans` highlighted; `reasons` maps a span to its evidence, `origins` to who
    stands behind it in a teacher's review ("added by the teacher"). `compact`: lines closer together (room for one
    underline under a line, not three)."""
    reasons, origins = reasons or {}, origins or {}
    parts = []
    for start, end, covering in segments(len(text), spans):
        piece = text[start:end]
        parts.append(_marked(piece, covering, reasons, gold, origins) if covering else _attr(piece))
    size = (" slant-large" if large else "") + (" slant-compact" if compact else "")
    return f'<div class="slant-text{size}" dir="auto">{"".join(parts)}</div>'


def legend_html(techniques: Iterable[str] = TECHNIQUES) -> str:
    """One sample per technique, drawn exactly as in the text, with its underline named for who cannot see colour."""
    items = []
    for technique in techniques:
        style = STYLES[technique]
        items.append(
            f'<span><mark class="slant-t-{technique} slant-l0" title="{_attr(DEFINITIONS[technique])}">'
            f"{_attr(TITLES[technique])}</mark> "
            f'<span class="slant-how">{_attr(UNDERLINE_NAMES[style.underline])}</span></span>'
        )
    return f'<div class="slant-legend">{"".join(items)}</div>'


def voice_bar_html(source: str, author_share: float, quoted_share: float) -> str:
    """One source's spans split into the author's own voice and quoted, as a labelled bar (shares in %)."""
    parts = []
    for voice, share, words in (("author", author_share, "author's own voice"), ("quoted", quoted_share, "quoted")):
        if share > 0:
            label = _attr(f"{words} {share:.0f}%")
            parts.append(f'<div class="slant-voice-{voice}" style="width:{share:.1f}%" title="{label}">{label}</div>')
    bar = "".join(parts) or '<div class="slant-voice-none">no spans shown</div>'
    return (f'<div class="slant-voice"><div class="slant-voice-source" title="{_attr(source)}">{_attr(source)}</div>'
            f'<div class="slant-voice-bar">{bar}</div></div>')


# What makes Markdown (and Streamlit's additions: $maths$, :emoji: and :colour[text]) out of one line of text:
# inline marks anywhere, block marks at the start. Only these are escaped, because Streamlit also uses a widget's
# label as its accessible name, and a screen reader reads every backslash.
_INLINE_MARKUP = re.compile(r"([\\`*_\[\]<$~&]|:(?=\S))")
_BLOCK_MARKUP = re.compile(r"^(\s*)(?:([#>+\-])|(\d+)([.)]))")


def _escape_block(m: re.Match) -> str:
    indent, mark, digits, closer = m.groups()
    return f"{indent}\\{mark}" if mark else f"{indent}{digits}\\{closer}"


def escape_markdown(text: str) -> str:
    """One line of text shown literally where Streamlit reads Markdown (widget labels, st.markdown, st.error)."""
    return _BLOCK_MARKUP.sub(_escape_block, _INLINE_MARKUP.sub(r"\\\1", text))


# -- the printable handout (views/handout.py) ------------------------------------------------------------------

QUESTIONS = (  # the highlighted handout's
    "Pick one highlighted phrase. Which plain words could replace it, and what would the sentence lose or gain?",
    "Who is speaking in each highlighted passage: the author, or someone the author quotes? Does it matter?",
    "Which facts in the article can be checked, and which claims are only asserted? What would you need to check them?",
)
EXERCISE_QUESTIONS = (  # the handout without highlights: the student's own underlining is the material
    "Pick one passage you underlined. Which technique is it, and which plain words could replace it?",
    "Who is speaking in each passage you underlined: the author, or someone the author quotes? Does it matter?",
    "Which facts in the article can be checked, and which claims are only asserted? What would you need to check them?",
)

HANDOUT_CSS = """
body { font-family: Georgia, 'Times New Roman', serif; max-width: 46em; margin: 2em auto; padding: 0 1em;
       color: #111; background: #fff; line-height: 1.5; }
h1 { font-size: 1.6em; margin-bottom: 0.2em; }
h2 { font-size: 1.2em; margin-top: 1.6em; border-bottom: 1px solid #999; }
.meta { color: #444; font-size: 0.9em; }
.article { white-space: pre-wrap; border: 1px solid #ccc; padding: 1em; }
.article .slant-text { font-size: 1em; line-height: 1.9; }
table.passages { border-collapse: collapse; width: 100%; }
table.passages td, table.passages th { border: 1px solid #bbb; padding: 0.2em 0.4em; text-align: left;
                                        vertical-align: top; }
dt { font-weight: bold; }
ol li { margin-bottom: 1.2em; }
.answer { border-bottom: 1px dotted #999; height: 2.2em; }
.numbered .n { font-size: 0.9em; font-weight: bold; color: #111; font-family: sans-serif; }
.no-print { float: right; font-size: 1em; padding: 0.3em 1em; }
@media print {
  .no-print { display: none; }
  body { margin: 0; max-width: none; font-size: 11pt; }
  .article { border: none; padding: 0; }
  h2 { break-after: avoid; }
  tr, li { break-inside: avoid; }
  mark[data-tip]::after { display: none !important; }
  mark, mark span { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
"""

_BLANK_LINES = re.compile(r"\n(?:[^\S\n]*\n)+")  # two or more line ends, with only blanks between


def _dropping(text: str, ranges: Iterable[tuple[int, int]]) -> tuple[str, list[int]]:
    """`text` without the characters in `ranges`, and for each position of `text` (and its end) the position in it."""
    dropped = bytearray(len(text) + 1)
    for a, b in ranges:
        dropped[a:b] = b"\1" * (min(b, len(text)) - a)
    kept, at = [], []
    for i, c in enumerate(text):
        at.append(len(kept))
        if not dropped[i]:
            kept.append(c)
    at.append(len(kept))
    return "".join(kept), at


def printable(text: str, skip: Iterable[tuple[int, int]] = ()) -> tuple[str, list[int]]:
    """The article as a handout prints it: a seed's page furniture (`skip`) left out, and a run of blank lines one
    blank line (they made pages of nothing on paper). Returns the printed text and, for each position of `text` (and
    its end), the position in the printed text."""
    first, at_first = _dropping(text, skip)
    # Of each run of line ends, the first and the last are kept: one blank line.
    second, at_second = _dropping(first, [(m.start() + 1, m.end() - 1) for m in _BLANK_LINES.finditer(first)])
    return second, [at_second[i] for i in at_first]


def _moved(spans: Iterable[Span], at: list[int]) -> list[Span]:
    """Spans moved to the printed text's positions; a span left with nothing (page furniture) is left out."""
    return [replace(s, start=at[s.start], end=at[s.end]) for s in spans if at[s.end] > at[s.start]]


def numbered_html(text: str, skip: Iterable[tuple[int, int]] = ()) -> str:
    """The printed text (`printable`), escaped, with each sentence's number in front of it as on the Spot page:
    "(1) ...", "(2) ..." (numbered on the text as the page numbers it, page furniture skipped)."""
    skip = tuple(skip)
    printed, at = printable(text, skip)
    parts, done = [], 0
    for sentence in split_sentences(text, skip):
        start = at[sentence.start]
        parts.append(html.escape(printed[done:start]))
        parts.append(f'<span class="n">({sentence.index + 1})</span> ')
        done = start
    parts.append(html.escape(printed[done:]))
    return f'<div class="slant-text numbered">{"".join(parts)}</div>'


PRINT_BUTTON = '<button class="no-print" onclick="window.print()">Print</button>'


def with_print_button(handout: str) -> str:
    """A handout (handout_html) with a Print button at the top of its page, hidden when printed."""
    return handout.replace("<body>", "<body>" + PRINT_BUTTON, 1)


def handout_html(title: str, text: str, spans: list[Span], highlighted: bool, source_note: str = "",
                 skip: Iterable[tuple[int, int]] = ()) -> str:
    """A standalone, print-friendly HTML handout of one source; every piece of user text is escaped.

    The highlighted version also lists the passages, since a tooltip cannot be hovered on paper.
    """
    esc = html.escape
    if highlighted:
        printed, at = printable(text, skip)
        article = render_html(printed, _moved(spans, at))
        passages = "".join(
            f"<tr><td>{esc(TITLES[s.technique])}</td><td>{esc(span_text(text, s))}</td>"
            f"<td>{'quoted' if s.voice == 'quoted' else 'author'}</td></tr>"
            for s in sort_spans(spans)
        )
        legend = f"<h2>Legend</h2>{legend_html()}"
        passages = (
            f'<h2>The highlighted passages</h2><table class="passages"><tr><th>Technique</th><th>Passage</th>'
            f"<th>Voice</th></tr>{passages}</table>"
            if spans else "<p>No passage is highlighted in this source.</p>"
        )
        intro = "The highlighted passages carry one of the three techniques defined below."
    else:
        article = numbered_html(text, skip)
        legend = passages = ""
        intro = "Read the article and underline every passage that carries one of the three techniques defined " \
            "below. The numbers in brackets count the sentences, as in the app."
    definitions = "".join(f"<dt>{esc(TITLES[t])}</dt><dd>{esc(DEFINITIONS[t])}</dd>" for t in TECHNIQUES)
    questions = "".join(f'<li>{esc(q)}<div class="answer"></div></li>'
                        for q in (QUESTIONS if highlighted else EXERCISE_QUESTIONS))
    note = f'<p class="meta">{esc(source_note)}</p>' if source_note else ""
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="en"><head><meta charset="utf-8"><title>{esc(title)}</title>'
        f"{STYLE}<style>{HANDOUT_CSS}</style></head><body>"
        f"<h1>{esc(title)}</h1>{note}<p>{esc(intro)}</p>"
        f"<h2>Definitions</h2><dl>{definitions}</dl>{legend}"
        f'<h2>The article</h2><div class="article">{article}</div>'
        f"{passages}"
        f"<h2>For discussion</h2><ol>{questions}</ol>"
        "</body></html>\n"
    )
