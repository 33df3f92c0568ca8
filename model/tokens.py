"""Words and sentences of a text as character offsets (start inclusive, end exclusive).

Plain `re`, no nltk import: `import nltk` (even `nltk.tokenize`) costs about 2 s, the whole start-up budget of
`python -m model label`. The word pattern is a valid `nltk.tokenize.RegexpTokenizer` pattern, and the tests check
that both give the same spans. Every pattern matches at every position it is tried (or moves on by one character
without backtracking), so a 100,000-character line costs linear time.
"""
import re

# A word: letters/digits with inner apostrophes or hyphens ("don't", "so-called", "1,000" is three tokens); any
# other non-space character is a token of its own (punctuation, quotes, symbols, emoji).
WORD_PATTERN = r"\w+(?:[-'’]\w+)*|[^\w\s]"
_WORD = re.compile(WORD_PATTERN)

# Abbreviations after which a full stop does not end a sentence (compared lower-case, without the stop).
ABBREVIATIONS = frozenset(
    """mr mrs ms dr prof gen col lt sgt capt cmdr adm maj rep sen gov pres st jr sr rev hon fr
    no nos vol pp p fig approx est dept univ corp inc ltd co bros vs etc al e.g i.e cf
    jan feb mar apr jun jul aug sep sept oct nov dec mon tue wed thu fri sat sun
    u.s u.k u.n e.u u.s.a a.m p.m d.c""".split()
)

# A candidate sentence end: terminal punctuation, optional closing quotes/brackets, then white space on the same
# line and a character that can start a sentence. Newlines always end a sentence (PTC puts one per line).
# Possessive quantifiers and the look-behind (only the first mark of a run starts a match) keep it linear.
_SENTENCE_END = re.compile(r"(?<![.!?…])[.!?…]++[\"'”’)\]]*+(?=[ \t\u00a0]++[\"'“‘(\[]?[A-Z0-9])")
_LINE = re.compile(r"[^\n\r]+")
_ABBREV_BEFORE = re.compile(r"(\w+(?:\.\w+)*)\.$")


def word_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each word and punctuation mark, in order; white space is never part of a token."""
    return [m.span() for m in _WORD.finditer(text)]


def _is_abbreviation(text: str, line_start: int, stop: int) -> bool:
    """Whether the full stop at `stop` closes an abbreviation or an initial ("Dr.", "U.S.", "J.")."""
    before = text[max(line_start, stop - 12) : stop + 1]
    m = _ABBREV_BEFORE.search(before)
    if not m:
        return False
    word = m.group(1)
    return word.lower() in ABBREVIATIONS or (len(word) == 1 and word.isupper())


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence, trimmed of surrounding white space; lines never share a sentence."""
    spans = []
    for line in _LINE.finditer(text):
        start, line_end = line.span()
        for m in _SENTENCE_END.finditer(text, start, line_end):
            if text[m.start()] == "." and m.end() - m.start() == 1 and _is_abbreviation(text, line.start(), m.start()):
                continue
            spans.append((start, m.end()))
            start = m.end()
        spans.append((start, line_end))
    return [trimmed for s, e in spans if (trimmed := _trim(text, s, e))]


def _trim(text: str, start: int, end: int) -> tuple[int, int] | None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return (start, end) if start < end else None
