import json
from dataclasses import replace

import pandas as pd

from model.spans import Span
from ui.sources import (
    Source,
    comparison_verdict,
    counted,
    keep,
    overall,
    rate_difference,
    rates,
    search,
    selection,
    spans_table,
    summary,
    to_csv,
    to_json,
    voice_shares,
    word_count,
)

# 8 words ("so-called" is one word; punctuation and quotes are not words).
TEXT = "The so-called “leaders” are puppets, he said: pogroms!"
SPANS = (
    Span(15, 22, "name_calling", 0.9, "author"),  # leaders
    Span(28, 35, "name_calling", 0.4, "author"),  # puppets
    Span(46, 53, "loaded_language", 0.7, "quoted"),  # pogroms
)
SOURCE = Source(name="s1", text=TEXT, title="One", outlet="Daily", date="2022-01-06", spans=SPANS)


def test_words_are_counted_without_punctuation():
    assert word_count(TEXT) == 8
    assert word_count("") == 0
    assert word_count(" ... — !") == 0


def test_spans_per_1000_words_by_hand():
    table = rates([SOURCE, Source(name="empty", text="", title="Empty")])
    one = table[table.source == "One"].set_index("technique")
    assert one.loc["Name calling", "spans"] == 2
    assert one.loc["Name calling", "per_1000_words"] == 250.0  # 2 spans / 8 words * 1000
    assert one.loc["Loaded language", "per_1000_words"] == 125.0  # 1 / 8 * 1000
    assert one.loc["Foreign hand", "per_1000_words"] == 0.0
    assert (one["words"] == 8).all()
    empty = table[table.source == "Empty"]
    assert len(empty) == 3 and (empty["per_1000_words"] == 0.0).all()  # no division by zero
    assert list(rates([SOURCE], techniques=["name_calling"])["technique"]) == ["Name calling"]  # only those shown


def test_author_versus_quoted_shares():
    row = voice_shares([SOURCE]).iloc[0]
    assert (row["spans"], row["author_spans"], row["quoted_spans"]) == (3, 2, 1)
    assert row["author_share_%"] == 66.7 and row["quoted_share_%"] == 33.3
    none = voice_shares([Source(name="x", text="calm words")]).iloc[0]
    assert none["author_share_%"] == 0.0 and none["quoted_share_%"] == 0.0


def test_the_controls_filter_spans():
    assert keep(SPANS, techniques=["name_calling"]) == list(SPANS[:2])
    assert keep(SPANS, voices=["quoted"]) == [SPANS[2]]


def test_the_table_and_its_exports_contain_every_span():
    table = spans_table([SOURCE])
    assert list(table["text"]) == ["leaders", "puppets", "pogroms"]
    assert list(table["source"]) == ["One"] * 3
    assert list(table.columns) == ["source", "technique", "voice", "score", "start", "end", "text", "who"]

    from_csv = pd.read_csv(pd.io.common.BytesIO(to_csv(table)))
    assert list(from_csv["text"]) == ["leaders", "puppets", "pogroms"]
    assert list(from_csv["start"]) == [15, 28, 46]

    records = json.loads(to_json(table).decode("utf-8"))
    assert [r["text"] for r in records] == ["leaders", "puppets", "pogroms"]
    assert records[2] == {"source": "One", "technique": "loaded_language", "voice": "quoted", "score": 0.7,
                          "start": 46, "end": 53, "text": "pogroms", "who": "found by the model"}
    assert TEXT[records[0]["start"]:records[0]["end"]] == "leaders"


def test_the_table_says_who_stands_behind_each_span_of_a_review():
    origins = {"One": {SPANS[1]: "added by the teacher"}}
    assert list(spans_table([SOURCE], origins)["who"]) == ["found by the model", "added by the teacher",
                                                          "found by the model"]


def test_an_empty_table_exports_cleanly():
    table = spans_table([Source(name="x", text="calm words")])
    assert table.empty
    assert to_csv(table).decode().strip() == "source,technique,voice,score,start,end,text,who"
    assert json.loads(to_json(table)) == []


def test_searching_the_table_is_literal_and_case_insensitive():
    table = spans_table([SOURCE])
    assert list(search(table, "PUPP")["text"]) == ["puppets"]
    assert list(search(table, "one")["text"]) == ["leaders", "puppets", "pogroms"]  # matches the source
    assert search(table, "(.*").empty  # not a regular expression
    assert len(search(table, "  ")) == 3


def loaded(name: str, n: int, technique: str = "loaded_language", words: int = 1000, title: str = "") -> Source:
    """`words` words with `n` spans of `technique` in the author's own voice."""
    return Source(name, "word " * words, title=title or name,
                  spans=tuple(Span(5 * i, 5 * i + 4, technique, 0.9, "author") for i in range(n)))


def test_a_difference_of_rates_has_an_interval():
    diff, lower, upper = rate_difference(30, 1000, 10, 1000)
    assert abs(diff - 20) < 1e-9 and lower > 0 and upper > diff
    diff, lower, upper = rate_difference(3, 1000, 1, 1000)
    assert lower < 0 < upper


def test_the_verdict_ranks_a_technique_right_at_least_half_the_time():
    calm, loud = loaded("calm", 0, title="Calm <b>paper</b>"), loaded("loud", 30, title="Loud paper")
    [line] = comparison_verdict([calm, loud], ["loaded_language"], {"loaded_language": 0.6})
    assert line.startswith("Loaded language, in the author's own voice: “Loud paper” 30.0, “Calm <b>paper</b>” 0.0")
    assert "“Loud paper” uses it more than “Calm <b>paper</b>” (difference 30.0, 95 % interval" in line
    assert line.endswith("60 % of the model's loaded language highlights were right on news it had not seen.")
    [close] = comparison_verdict([loaded("a", 28), loud], ["loaded_language"], {"loaded_language": 0.6})
    assert "“Loud paper” and “a” differ by no more than chance would give" in close
    assert "uses it more" not in close


def test_below_one_half_the_ranking_comes_with_a_warning_and_below_one_third_there_is_none():
    calm, loud = loaded("calm", 0), loaded("loud", 30)
    [careful] = comparison_verdict([calm, loud], ["loaded_language"], {"loaded_language": 0.47})
    assert "“loud” uses it more than “calm”" in careful
    assert "Careful: only 47 % of the model's loaded language highlights were right" in careful
    [unranked] = comparison_verdict([calm, loud], ["loaded_language"], {"loaded_language": 0.11})
    assert "more than" not in unranked and "chance" not in unranked
    assert "Only 11 % of the model's loaded language highlights were right on news it had not seen: too few to " \
        "say which source uses it more" in unranked
    assert "“loud” 30.0, “calm” 0.0" in unranked  # the counts are still given
    [unknown] = comparison_verdict([calm, loud], ["loaded_language"], {"loaded_language": None})
    assert "was not measured at the thresholds in use" in unknown and "more than" not in unknown
    [unknown] = comparison_verdict([calm, loud], ["loaded_language"], {})
    assert "was not measured" in unknown


def test_the_verdict_compares_every_source_per_technique():
    a, b, c = loaded("A", 40), loaded("B", 2), loaded("C", 0)
    lines = comparison_verdict([c, a, b], ["loaded_language", "name_calling"],
                               {"loaded_language": 0.6, "name_calling": 0.6})
    assert len(lines) == 2
    assert "“A” 40.0, “B” 2.0, “C” 0.0" in lines[0]  # every source, the highest first
    assert "“A” uses it more than “B”" in lines[0] and "“A” uses it more than “C”" in lines[0]
    assert "“B” and “C” differ by no more than chance would give" in lines[0]
    assert lines[1] == "Name calling: the model finds none in the author's own voice of these sources."
    assert comparison_verdict([a], ["loaded_language"], {"loaded_language": 0.6}) == []
    [even] = comparison_verdict([a, loaded("D", 39), loaded("E", 38)], ["loaded_language"], {"loaded_language": 0.6})
    assert "No two of them differ by more than chance would give." in even
    [some] = comparison_verdict([a, c, loaded("F", 1)], ["loaded_language"], {"loaded_language": 0.6})
    assert "“A” uses it more than “F”" in some and "“A” uses it more than “C”" in some
    assert "; “F” and “C” differ by no more than chance would give." in some


def test_quoted_spans_and_page_furniture_do_not_count_in_the_verdict():
    source = loaded("A", 10)
    quoted = replace(source, spans=tuple(replace(s, voice="quoted") for s in source.spans))
    [line] = comparison_verdict([quoted, loaded("B", 0)], ["loaded_language"], {"loaded_language": 0.6})
    assert line == "Loaded language: the model finds none in the author's own voice of these sources."


def test_a_title_in_quotation_marks_is_not_quoted_twice():
    [line] = comparison_verdict([loaded("a", 30, title="“Those who riot”"), loaded("b", 0)], ["loaded_language"],
                                {"loaded_language": 0.6})
    assert "““" not in line and "“Those who riot” uses it more than “b”" in line


def test_a_seeds_page_furniture_is_not_counted():
    """Issue 19: "comments powered by HyperComments" and a repeated headline are not the article."""
    text = "Brutal thugs attacked. comments powered by HyperComments"
    furniture = ((text.index("comments"), len(text)),)
    spans = (Span(0, 6, "loaded_language", 0.9, "author", "Brutal"),
             Span(7, 12, "name_calling", 0.9, "author", "thugs"),
             Span(23, 31, "loaded_language", 0.9, "author", "comments"))
    source = Source(name="s", text=text, spans=spans, furniture=furniture)
    assert counted(source) == (3, list(spans[:2]))
    assert rates([source])["words"].tolist() == [3, 3, 3]
    assert overall([source]).loc[0, "spans"] == 2
    assert summary(source) == "3 words · 2 spans shown (page furniture aside)"


def test_the_compare_selection_starts_with_two_keeps_the_users_and_shows_a_new_article():
    options = ["A", "B", "C", "D"]
    assert selection(None, options) == ["A", "B"]
    assert selection(None, [*options, "Mine"], "Mine") == ["A", "Mine"]
    assert selection(["C", "A"], options) == ["C", "A"]  # the user's choice, in the user's order
    assert selection([], options) == []  # an emptied selection stays empty
    assert selection(["C", "gone"], options) == ["C"]  # a label no longer offered is dropped
    assert selection(["C"], [*options, "Mine"], "Mine") == ["C", "Mine"]
    assert selection([], [*options, "Mine"], "Mine") == ["Mine"]
    assert selection(["C", "D"], [*options, "Mine"], "Mine") == ["C", "Mine"]  # it takes the last place
    assert selection(["A", "B", "C"], [*options, "Mine"], "Mine") == ["A", "B", "Mine"]
    assert selection(["Mine", "A"], [*options, "Mine"], "Mine") == ["Mine", "A"]


def test_the_verdict_says_which_sources_were_reviewed_by_the_teacher():
    calm, loud = loaded("calm", 0, title="Calm <b>paper</b>"), loaded("loud", 30, title="Loud paper")
    one = comparison_verdict([calm, loud], ["loaded_language"], {"loaded_language": 0.6}, reviewed=["Loud paper"])
    assert one[-1] == "The highlights of “Loud paper” were reviewed by the teacher; the others are the model's."
    both = comparison_verdict([calm, loud], ["loaded_language"], {"loaded_language": 0.6},
                              reviewed=["Loud paper", "Calm <b>paper</b>"])
    assert both[-1] == "The highlights counted were reviewed by the teacher."
    assert comparison_verdict([calm, loud], ["loaded_language"], {"loaded_language": 0.6})[-1].startswith("Loaded")
