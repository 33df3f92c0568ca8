"""Properties of the whole span pipeline on arbitrary Unicode: the tagger's spans index the text they were given, and
the rendered HTML gives back exactly that text."""
import html
import re
import sys
from concurrent.futures import ThreadPoolExecutor
from html.parser import HTMLParser

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from model.paths import SEEDS_DIR
from model.spans import Span
from model.tagger import load_tagger
from model.techniques import TECHNIQUES
from model.textio import clean_text
from ui.render import render_html

# Words that make the model fire, so that generated texts have spans to check and not only empty results.
WORDS = ["the", "regime", "brutal", "terrorist", "thugs", "so-called", "puppet", "traitors", "Western", "NATO",
         "Washington", "agents", "disgraceful", "“", "”", '"', "'", "’", ".", ",", "!", "?", " ", " ", "\n", "\n\n"]
ODD = ["\x00", "\x07", "\x1b", "\r\n", "\r", "\t", "\x85", "\u2028", "\u200b", "\u200d", "\ufeff", "\u202e",
       "\u2066", "e\u0301", "\u0301", "🙂", "👩‍👩‍👧", "🇺🇦", "שלום", "مرحبا", "日本語", "ǅ", "ﬁ", "İ", "ß",
       "&amp;", "&lt;b&gt;", "<b>", "</mark>", '"><script>', "{{x}}", "${x}", "[a](b)", "*", "_", "`"]
# Surrogates cannot reach the app (the browser sends UTF-8); everything else can.
ANY_CHAR = st.characters(blacklist_categories=("Cs",))
PIECES = st.one_of(st.sampled_from(WORDS), st.sampled_from(ODD), st.text(ANY_CHAR, max_size=6))
LOADED = ["The corrupt, evil regime of thugs and traitors committed horrific atrocities.",
          "Obama is a traitor and a liar and a total disgrace.",
          "“These so-called journalists are puppets of Washington,” he said."]
PROSE = [p.read_text(encoding="utf-8") for p in sorted(SEEDS_DIR.glob("*.txt"))] + [" ".join(LOADED) * 3]


@st.composite
def seed_excerpt_with_odd_pieces(draw):
    """A slice of a seed article (real prose the model labels) with odd pieces inserted at random places."""
    prose = draw(st.sampled_from(PROSE))
    start = draw(st.integers(0, len(prose) - 1))
    text = prose[start : start + draw(st.integers(1, 600))]
    for _ in range(draw(st.integers(0, 6))):
        at = draw(st.integers(0, len(text)))
        text = text[:at] + draw(PIECES) + text[at:]
    return text


TEXTS = st.lists(PIECES, max_size=60).map("".join) | seed_excerpt_with_odd_pieces()

FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
_TAG = re.compile(r"<[^>]*>")


@pytest.fixture(scope="module")
def tagger():
    return load_tagger()


def visible_text(fragment: str) -> str:
    return html.unescape(_TAG.sub("", fragment))


def check_spans(text: str, spans: list[Span]) -> None:
    assert spans == sorted(spans, key=lambda s: (s.start, s.end, s.technique))
    for span in spans:
        assert 0 <= span.start < span.end <= len(text)
        assert text[span.start : span.end] == span.text
    for technique in TECHNIQUES:
        mine = [s for s in spans if s.technique == technique]
        for before, after in zip(mine, mine[1:], strict=False):
            assert before.end <= after.start, (before, after)


@FAST
@given(text=TEXTS)
@example(text="a" * 100_000)  # one 100,000-character line with no spaces
@example(text="“The brutal regime’s puppet thugs” " * 50)
@example(text="")
def test_tagger_spans_index_the_text_they_were_given(tagger, text):
    check_spans(text, tagger.label(text))


@FAST
@given(text=TEXTS)
def test_the_app_labels_the_cleaned_text_consistently(tagger, text):
    cleaned = clean_text(text)
    check_spans(cleaned, tagger.label(cleaned, threshold=0.05))


@FAST
@given(text=TEXTS)
def test_rendered_model_output_gives_back_the_text(tagger, text):
    spans = tagger.label(text, threshold=0.05)
    rendered = render_html(text, spans, reasons={s: tagger.evidence(text, s) for s in spans})
    assert visible_text(rendered) == text


@st.composite
def text_and_spans(draw):
    """Any text with any spans over it: overlapping, nested, several techniques on the same characters."""
    text = draw(st.text(ANY_CHAR, min_size=1, max_size=80) | TEXTS.filter(bool))
    spans = []
    for _ in range(draw(st.integers(0, 8))):
        start = draw(st.integers(0, len(text) - 1))
        end = draw(st.integers(start + 1, len(text)))
        spans.append(Span(start, end, draw(st.sampled_from(TECHNIQUES)), draw(st.floats(0, 1)),
                          draw(st.sampled_from(["author", "quoted"])), text[start:end]))
    return text, spans


@settings(max_examples=150, deadline=None)
@given(case=text_and_spans(), large=st.booleans(), gold=st.booleans())
def test_rendered_html_gives_back_exactly_the_text(case, large, gold):
    text, spans = case
    rendered = render_html(text, spans, gold=gold, large=large)
    assert visible_text(rendered) == text
    assert "\n" not in rendered and "\r" not in rendered  # one line: Markdown cannot rewrite any of it


class _Tags(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags, self.text = [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)


@settings(max_examples=150, deadline=None)
@given(case=text_and_spans())
def test_user_text_never_opens_a_tag_or_an_attribute(case):
    text, spans = case
    parser = _Tags()
    parser.feed(render_html(text, spans))
    parser.close()
    # As a browser parses it: only the renderer's own elements and attributes, and the text as data.
    for tag, attributes in parser.tags:
        assert tag in {"div", "mark", "span"}, tag
        assert set(attributes) <= {"class", "tabindex", "data-techniques", "data-tip", "dir"}, attributes
        assert attributes.get("dir", "auto") == "auto", attributes
    assert "".join(parser.text) == text


def test_one_tagger_shared_by_many_sessions_gives_each_its_own_spans(tagger):
    """Streamlit runs every browser session in its own thread, all with the one cached tagger (a whole class at once:
    benchmarks/bench_load.py). Labelling in parallel must give each text exactly what labelling it alone gives."""
    texts = [f"Student {i}\n\n{prose}" for i, prose in enumerate(PROSE * 2)]
    expected = [tagger.label(text) for text in texts]
    explained = [[tagger.explain(text, span) for span in spans] for text, spans in zip(texts, expected, strict=True)]
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # switch threads as often as possible, so that a race shows in a short test
    try:
        with ThreadPoolExecutor(max_workers=len(texts)) as pool:
            for _ in range(3):
                assert list(pool.map(tagger.label, texts)) == expected
                got = pool.map(lambda pair: [tagger.explain(pair[0], span) for span in pair[1]],
                               zip(texts, expected, strict=True))
                assert list(got) == explained
    finally:
        sys.setswitchinterval(interval)
