"""Who speaks at a place in the text: the outlet (`author`) or someone it quotes or reports (`quoted`).

The rule is the annotation guideline's (data/ANNOTATION_GUIDELINE.md, section 4), applied to the first character of
a span:
- inside quotation marks of any kind (“ ” „ « » " ‘ ’ ') -> quoted. A quotation that is not closed in its paragraph
  ends at the end of its first sentence (the seeds lost many closing marks after full stops) or, failing that, at
  the line break; a “ inside an open quotation after a comma and before a lower-case word, or before white space,
  is a misprinted closing mark; a quote mark between two letters is an apostrophe; after a quotation, a dash that
  follows a sentence end (". – The Kazakhs simply …") resumes it, Russian style, to the next closing mark or the
  end of the paragraph;
- inside reported speech -> quoted: the sentence says "according to", or a reporting cue ("stated that",
  "believes that", "accuse X of", "views X as", "Lavrov said", "he claimed", ...) comes before the span in the
  same sentence, or the sentence goes on after it with ", he said" / ", said Lavrov" / ", the minister claimed";
- otherwise author.

Speed: the quotations of a text are found once, in one linear pass over its quote marks, and cached for the last
few texts, so labelling many spans of one article costs a binary search each. The reported-speech check looks at a
bounded window around the span, so a 100,000-character line without full stops costs no more than a short one.
"""

import re
from bisect import bisect_right
from functools import lru_cache

MARKS = re.compile(r"[\"'“”„«»‘’‚\n]|(?<=[.!?…]\s)[–—](?=\s)")
DASHES = "–—"
SENTENCE_END = re.compile(r"[.!?…](?=\s)")
SENTENCE_BREAK = re.compile(r"[.!?…][”’\"'»)]*\s|\n")
WINDOW = 400  # characters searched before and after a span for the sentence and its reporting cue

REPORTING_VERB = (
    r"(?:say|says|said|state|states|stated|note|notes|noted|believe|believes|believed|claim|claims|claimed"
    r"|declare|declares|declared|assert|asserts|asserted|write|writes|wrote|think|thinks|thought"
    r"|argue|argues|argued|insist|insists|insisted|deny|denies|denied|suggest|suggests|suggested"
    r"|warn|warns|warned|explain|explains|explained|admit|admits|admitted|add|adds|added|announce|announced"
    r"|report|reports|reported|allege|alleges|alleged|consider|considers|considered|fear|fears|feared"
    r"|acknowledge|acknowledges|acknowledged|repeat|repeats|repeated)"
)
REPORTED_BEFORE = re.compile(
    rf"\b{REPORTING_VERB}\s+(?:\w+ly\s+)?that\b"
    r"|\b(?:told|tells|tell|convinced|assured|warned|informed)\s+(?:\w+\s+){1,3}that\b"
    r"|\bis\s+sure\b|\bare\s+sure\b"
    r"|\bas\s+(?:[\w’'-]+\s+){1,4}(?:wrote|writes|said|says|stated|states|noted|notes|put\s+it)\b"
    r"|\baccus(?:e|es|ed|ing)\s+(?:[\w’'-]+\s+){1,8}of\b"
    r"|\b(?:accus|blam)(?:e|es|ed|ing)\s+(?:the\s+)?$"  # "accused [the West of ...]": the span starts with the accused
    r"|\bviews?\s+(?:[\w’'-]+\s+){1,8}as\b|\bsees?\s+(?:[\w’'-]+\s+){1,8}as\b"
    r"|\bin\s+(?:his|her|their|its|our|my)\s+(?:opinion|view|words)\b",
    re.IGNORECASE,
)
# "Lavrov said the West ...", "he claimed Kiev ...": a speech verb of the past or present tense before the span.
SPEECH_VERB_BEFORE = re.compile(
    r"\b(?:say|says|said|claims|claimed|alleges|alleged|insists|insisted|asserts|asserted|argues|argued|stated|declared"
    r"|tweeted|wrote|added|warned|told\s+(?:[\w’'-]+\s+){0,3}?(?:reporters|journalists|the\s+\w+|\w+))\b",
    re.IGNORECASE,
)
# "..., he said." / "..., said Lavrov." / "..., the minister claimed on Tuesday.": the cue comes after the span.
REPORTED_AFTER = re.compile(
    rf",\s*(?:(?:he|she|they|it|we|[A-Z][\w.’'-]*(?:\s+[A-Z][\w.’'-]*){{0,4}}|the\s+(?:[\w’'-]+\s+){{0,4}}?[\w’'-]+)"
    rf"\s+(?:{REPORTING_VERB}|told|tweeted)\b|(?:said|says|claimed|added|wrote|told|tweeted)\s+(?:[A-Z]|the\s))"
)
ACCORDING_TO = re.compile(r"\baccording\s+to\b", re.IGNORECASE)

DOUBLE_OPEN, DOUBLE_CLOSE, SINGLE_OPEN, SINGLE_CLOSE = "“„«", "”»", "‘‚", "’"


def _is_letter(ch: str) -> bool:
    return ch.isalpha()


@lru_cache(maxsize=16)
def quoted_regions(text: str) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """The quoted stretches of `text` as (starts, ends), sorted and disjoint; a region excludes its marks."""
    sentence_ends = [m.start() for m in SENTENCE_END.finditer(text)]
    regions: list[tuple[int, int]] = []
    stack: list[tuple[str, int, str]] = []  # (kind "d" or "s", position of the opening mark, the mark)
    open_count = {"d": 0, "s": 0}  # how many of each kind are on the stack, so no look-up scans it
    quoted_in_paragraph = False

    def expire(paragraph_end: int) -> None:
        """Unclosed quotations end at their first sentence end, or at the end of the paragraph."""
        for _kind, opened, mark in stack:
            k = bisect_right(sentence_ends, opened)
            if mark not in DASHES and k < len(sentence_ends) and sentence_ends[k] < paragraph_end:
                regions.append((opened + 1, sentence_ends[k] + 1))
            else:
                regions.append((opened + 1, paragraph_end))
        stack.clear()
        open_count.update(d=0, s=0)

    def push(kind: str, at: int, mark: str) -> None:
        stack.append((kind, at, mark))
        open_count[kind] += 1

    def close(kind: str, at: int) -> None:
        nonlocal quoted_in_paragraph
        if not open_count[kind]:
            return
        quoted_in_paragraph = True
        while stack:  # quotations opened inside this one and never closed end with it
            inner_kind, opened, _mark = stack.pop()
            open_count[inner_kind] -= 1
            regions.append((opened + 1, at))
            if inner_kind == kind:
                return

    n = len(text)
    for match in MARKS.finditer(text):
        at, mark = match.start(), match.group()
        before = text[at - 1] if at > 0 else " "
        after = text[at + 1] if at + 1 < n else " "
        if mark == "\n":
            expire(at)
            quoted_in_paragraph = False
        elif mark in DASHES:
            if quoted_in_paragraph and not stack:
                push("d", at, mark)
        elif mark in DOUBLE_CLOSE:
            close("d", at)
        elif mark in DOUBLE_OPEN:
            if after.isspace():
                close("d", at)
            elif open_count["d"] and after.islower() and text[max(0, at - 3):at].rstrip().endswith(","):
                close("d", at)
            else:
                push("d", at, mark)
        elif mark == '"':
            if stack and stack[-1][2] == '"':
                close("d", at)
            elif before.isspace() or before in "([“‘—–-" or at == 0:
                push("d", at, mark)
            else:
                close("d", at)
        elif _is_letter(before) and _is_letter(after):
            continue  # an apostrophe: Kremlin’s, doesn't, Tikhanovskaya‘s
        elif mark in SINGLE_OPEN:
            if after.isspace():
                close("s", at)
            else:
                push("s", at, mark)
        elif mark in SINGLE_CLOSE:
            close("s", at)
        else:  # a straight single quote
            if (before.isspace() or before in "([“‘\"—–-" or at == 0) and not after.isspace():
                push("s", at, mark)
            elif open_count["s"]:
                close("s", at)
    expire(n)

    starts: list[int] = []
    ends: list[int] = []
    for start, end in sorted(r for r in regions if r[0] < r[1]):
        if ends and start <= ends[-1]:
            ends[-1] = max(ends[-1], end)
        else:
            starts.append(start)
            ends.append(end)
    return tuple(starts), tuple(ends)


def is_inside_quotation(text: str, position: int) -> bool:
    starts, ends = quoted_regions(text)
    k = bisect_right(starts, position) - 1
    return k >= 0 and position < ends[k]


def sentence_window(text: str, start: int, end: int) -> tuple[int, int]:
    """The sentence around [start, end), looked for no further than WINDOW characters either side."""
    low = max(0, start - WINDOW)
    sentence_start = low
    for match in SENTENCE_BREAK.finditer(text, low, start):
        sentence_start = match.end()
    high = min(len(text), end + WINDOW)
    found = SENTENCE_BREAK.search(text, end, high)
    return sentence_start, found.start() + 1 if found else high


def is_reported_speech(text: str, start: int, end: int) -> bool:
    sentence_start, sentence_end = sentence_window(text, start, end)
    if ACCORDING_TO.search(text, sentence_start, sentence_end):
        return True
    if REPORTED_BEFORE.search(text, sentence_start, start) or SPEECH_VERB_BEFORE.search(text, sentence_start, start):
        return True
    return REPORTED_AFTER.search(text, end, sentence_end) is not None


def voice_at(text: str, start: int, end: int) -> str:
    """`quoted` when the span starting at `start` sits in a quotation or in reported speech, else `author`."""
    if not 0 <= start < end <= len(text):
        raise ValueError(f"span {start}-{end} is outside a text of {len(text)} characters")
    if is_inside_quotation(text, start) or is_reported_speech(text, start, end):
        return "quoted"
    return "author"
