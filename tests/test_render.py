import html
import re

import pytest

from model.evidence import Evidence
from model.spans import Span
from model.techniques import DEFINITIONS, TECHNIQUES, TITLES
from ui.render import STYLE, STYLES, legend_html, render_html, segments, voice_bar_html

TAG = re.compile(r"<[^>]*>")


def visible_text(fragment: str) -> str:
    """What a reader sees as text: tags removed, entities unescaped (tooltips live in attributes)."""
    return html.unescape(TAG.sub("", fragment))


def tips(fragment: str) -> list[str]:
    return [html.unescape(t) for t in re.findall(r'data-tip="([^"]*)"', fragment)]


def test_plain_text_comes_back_exactly_and_is_one_line():
    text = "First paragraph.\n\nSecond one,\r\n\tindented  twice."
    out = render_html(text, [])
    assert visible_text(out) == text
    assert "\n" not in out and "\r" not in out  # one line: Markdown cannot end the HTML block early
    assert "<br" not in out


@pytest.mark.parametrize("payload", [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '"><svg onload=alert(1)>',
    "&lt;b&gt; already escaped &amp;",
    "[click](javascript:alert(1)) ![x](y) *bold* `code` $x$ :red[x]",
])
def test_markup_in_the_text_is_shown_as_text_inside_and_outside_spans(payload):
    text = f"He said {payload} and left."
    inside = Span(8, 8 + len(payload), "loaded_language", 0.9)
    for spans in ([], [inside]):
        out = render_html(text, spans)
        assert visible_text(out) == text
        assert set(re.findall(r"</?([a-zA-Z]+)", out)) <= {"div", "mark", "span"}  # only our own elements
        attributes = {name for tag in TAG.findall(out) for name in re.findall(r"\s([^\s=]+)=", tag)}
        assert attributes <= {"class", "dir", "tabindex", "data-techniques", "data-tip"}


def test_a_span_becomes_a_mark_with_technique_definition_score_and_voice_in_attributes():
    text = "They are puppets of the West."
    span = Span(9, 16, "name_calling", 0.734, "quoted")
    evidence = Evidence("name_calling", marked_words=("puppets",), similar_marked=("puppet", "stooges"))
    out = render_html(text, [span], reasons={span: evidence})
    marks = re.findall(r"<mark [^>]*>puppets</mark>", out)
    assert len(marks) == 1
    assert 'data-techniques="name_calling"' in marks[0]
    (tip,) = tips(out)
    assert TITLES["name_calling"] in tip
    assert DEFINITIONS["name_calling"] in tip
    assert "score 0.73" in tip
    assert "quoted" in tip
    assert "Why? annotators often marked “puppets” as name calling" in tip
    assert "close in meaning that they marked: “puppet”, “stooges”" in tip
    assert visible_text(out) == text


def test_gold_spans_say_human_annotation_instead_of_a_score():
    out = render_html("a bloodbath", [Span(2, 11, "loaded_language")], gold=True)
    (tip,) = tips(out)
    assert "human annotation" in tip and "score" not in tip


def test_overlapping_techniques_are_cut_into_segments_that_carry_both():
    text = "the West, which uses its puppets as a weapon"
    hand = Span(4, len(text), "foreign_hand", 0.8)
    name = Span(25, 32, "name_calling", 0.6)
    assert [(a, b, {s.technique for s in c}) for a, b, c in segments(len(text), [hand, name])] == [
        (0, 4, set()), (4, 25, {"foreign_hand"}), (25, 32, {"foreign_hand", "name_calling"}),
        (32, len(text), {"foreign_hand"})]
    out = render_html(text, [hand, name])
    assert visible_text(out) == text
    both = re.search(r'<mark [^>]*data-techniques="name_calling foreign_hand"[^>]*>(.*?)</mark>', out)
    assert both, out
    # Nested: the outer mark draws one technique, an inner element the other, each with its own underline class.
    assert both.group(1) == '<span class="slant-t-foreign_hand slant-l0">puppets</span>'
    assert 'class="slant-t-name_calling slant-l1"' in both.group(0)
    # The tooltip of the overlap explains both spans.
    overlap_tip = [t for t in tips(out) if TITLES["name_calling"] in t][0]
    assert TITLES["foreign_hand"] in overlap_tip


def test_stacked_underlines_sit_at_different_depths():
    pads = [int(re.search(rf"\.slant-l{level}{{padding-bottom:(\d+)px", STYLE).group(1)) for level in range(3)]
    assert pads == sorted(pads) and len(set(pads)) == 3


def test_spans_past_the_end_or_touching_are_handled():
    text = "abc def"
    out = render_html(text, [Span(0, 3, "loaded_language"), Span(3, 4, "name_calling"), Span(4, 99, "foreign_hand"),
                             Span(50, 60, "loaded_language")])
    assert visible_text(out) == text
    assert out.count("<mark") == 3


def test_every_technique_has_its_own_colour_and_its_own_underline():
    assert set(STYLES) == set(TECHNIQUES)
    assert len({s.line for s in STYLES.values()}) == 3
    assert len({s.underline for s in STYLES.values()}) == 3
    for technique, style in STYLES.items():
        assert f".slant-text .slant-t-{technique}," in STYLE
        assert f"{style.underline} {style.line}" in STYLE


def test_the_tooltip_is_pure_css_from_the_attribute():
    assert "content:attr(data-tip)" in STYLE
    assert ":focus::after" in STYLE  # a click (focus) shows it too, for touch screens and keyboards
    assert "white-space:pre-wrap" in STYLE


def test_large_text_adds_a_class():
    assert 'class="slant-text slant-large"' in render_html("x", [], large=True)
    assert 'class="slant-text"' in render_html("x", [])


def test_the_legend_shows_each_technique_with_its_style_and_definition():
    out = legend_html()
    for technique in TECHNIQUES:
        assert f'class="slant-t-{technique} slant-l0"' in out
        assert TITLES[technique] in out
        assert html.escape(DEFINITIONS[technique], quote=True) in out
    assert "double underline" in out and "dashed underline" in out
    only = legend_html(["foreign_hand"])
    assert TITLES["foreign_hand"] in only and TITLES["loaded_language"] not in only


def test_the_voice_bar_names_both_shares_and_escapes_the_source():
    out = voice_bar_html("<b>Daily</b>", 66.7, 33.3)
    assert 'style="width:66.7%"' in out and 'style="width:33.3%"' in out
    assert "author&#x27;s own voice 67%" in out and "quoted 33%" in out
    assert "<b>" not in out and "&lt;b&gt;Daily&lt;/b&gt;" in out
    assert "no spans shown" in voice_bar_html("x", 0.0, 0.0)
    assert "slant-voice-quoted" not in voice_bar_html("x", 100.0, 0.0)


def test_segments_match_their_definition_on_random_overlapping_spans():
    import random

    rng = random.Random(7)
    text = "abcdefghij" * 30
    for _ in range(50):
        spans = []
        for _ in range(rng.randrange(0, 12)):
            start = rng.randrange(0, len(text) + 5)
            spans.append(Span(start, start + rng.randrange(1, 40), rng.choice(TECHNIQUES)))
        cut = segments(len(text), spans)
        assert [a for a, _, _ in cut] == [0] + [b for _, b, _ in cut][:-1] and cut[-1][1] == len(text)
        for a, b, covering in cut:
            assert set(covering) == {s for s in spans if s.start <= a and b <= s.end}
        assert visible_text(render_html(text, spans)) == text


def test_the_article_takes_its_direction_from_its_text():
    from ui.render import render_html

    assert render_html("نص عربي.", []).startswith('<div class="slant-text" dir="auto">')


def test_reasons_are_words_a_reader_can_check_never_feature_names():
    from ui.render import reason

    loaded = reason(Evidence("loaded_language", marked_words=("bloodbath",), charged_words=(("brutal", "neg2"),
                                                                                              ("crushed", "neg1"))))
    assert loaded == ("Why? “brutal” is a strongly negative word; annotators often marked “bloodbath” as loaded "
                      "language in the news the model learned from.")
    claim = reason(Evidence("foreign_hand", actors=("West",), steering=("paid",), claim_words=("paid", "West")))
    assert "an outside actor (“West”)" in claim and "steering, paying or organising (“paid”)" in claim
    assert reason(Evidence("name_calling")).startswith("Why? No single word stands out")
    # Issue 31: "in", "Forces", "Fund" (of "International Monetary Fund") were given as reasons.
    named = reason(Evidence("foreign_hand", actors=("West",), claim_words=("in", "Forces", "Fund", "West", "steered")))
    assert "the words that read most like such a claim: “West”, “steered”." in named
    assert reason(Evidence("foreign_hand", claim_words=("in", "Fund"))).startswith("Why? No single word stands out")
    for text in (loaded, claim):
        assert not re.search(r"group \d|starts with|[+-]\d\.\d\d|c\d+=", text)
