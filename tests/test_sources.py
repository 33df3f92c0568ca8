import json
from dataclasses import replace

import pandas as pd

from model.spans import Span
from ui.sources import (
    Source,
    counted,
    keep,
    overall,
    rates,
    search,
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


def test_the_comparison_sentence_says_when_a_difference_is_more_than_chance():
    from ui.sources import comparison_summary, rate_difference

    diff, lower, upper = rate_difference(30, 1000, 10, 1000)
    assert abs(diff - 20) < 1e-9 and lower > 0 and upper > diff
    calm = Source("calm", "word " * 1000, title="Calm <b>paper</b>")
    loud = Source("loud", "word " * 1000, title="Loud paper",
                  spans=tuple(Span(5 * i, 5 * i + 4, "loaded_language") for i in range(30)))
    text = comparison_summary([calm, loud], {"loaded_language": 0.4})
    assert text.startswith("In its own voice, “Loud paper” uses the techniques shown more than “Calm <b>paper</b>”")
    assert "30.0 against 0.0" in text and "loaded language 40 %" in text
    close = comparison_summary([replace(calm, spans=loud.spans[:28]), loud])
    assert "no more than chance" in close and "right this often" not in close
    assert comparison_summary([calm]) == ""
    one = comparison_summary([calm, loud], {"loaded_language": 0.4}, reviewed=["Loud paper"])
    assert one.endswith("The highlights of “Loud paper” were reviewed by the teacher; the others are the model's.")
    both = comparison_summary([calm, loud], {"loaded_language": 0.4}, reviewed=["Loud paper", "Calm <b>paper</b>"])
    assert both.endswith("The highlights counted were reviewed by the teacher.") and "right this often" not in both


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
