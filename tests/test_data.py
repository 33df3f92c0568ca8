"""The loaders: they read the project's data, and they reject broken data with messages that say where."""
import json

import pytest

from model.data import DataError, Document, load_seed_gold, load_seeds, seed_texts
from model.paths import EUVSDISINFO_DIR, PTC_DIR, SEED_GOLD, SEEDS_DIR
from model.techniques import TECHNIQUES
from model.training.agreement import agreement_table, counts_table
from model.training.corpora import load_euvsdisinfo, load_ptc, load_splits, ptc_part, split_docs

TEXTS = seed_texts()
NAME = "000_9a51d189d5fcc860"
TEXT = TEXTS[NAME]


def record(phrase="pogroms", technique="loaded_language", voice="author", article=NAME, **changes):
    start = TEXTS[article].index(phrase)
    line = {"article": article, "start": start, "end": start + len(phrase), "technique": technique, "voice": voice,
            "text": phrase}
    line.update(changes)
    return line


def write_gold(tmp_path, *records):
    path = tmp_path / "gold.jsonl"
    path.write_text("".join((r if isinstance(r, str) else json.dumps(r, ensure_ascii=False)) + "\n" for r in records),
                    encoding="utf-8")
    return path


def gold_error(tmp_path, *records) -> str:
    with pytest.raises(DataError) as caught:
        load_seed_gold(write_gold(tmp_path, *records))
    return str(caught.value)


# --- seeds ---------------------------------------------------------------------------------------------------

def test_the_five_seeds_load_with_their_sources():
    articles = load_seeds()
    assert [a.name for a in articles] == sorted(TEXTS)
    for article in articles:
        assert article.text == TEXTS[article.name]
        assert article.title in article.text, "a title is quoted from the article itself"
        for field in (article.outlet, article.author, article.date):
            assert field == "unknown" or field
    by_name = {a.name: a for a in articles}
    assert by_name["004_01090bdcb20c23d0"].author == "Paul Goble"
    assert by_name["002_c70691d1e71aca73"].date == "2022-01-08"


def test_a_seed_missing_from_the_sources_table_is_an_error(tmp_path):
    sources = tmp_path / "sources.csv"
    sources.write_text(f"name,title,outlet,author,date\n{NAME},Title,unknown,unknown,unknown\n", encoding="utf-8")
    with pytest.raises(DataError, match="no row for seed '001_"):
        load_seeds(sources=sources)


def test_offsets_are_string_indices_into_the_exact_file_text():
    # a curly quote is 3 bytes in UTF-8 but one character: offsets must count characters
    start = TEXT.index("“help Kazakhstan")
    assert TEXT[start + 1:start + 5] == "help"
    assert len(TEXT) < len((SEEDS_DIR / f"{NAME}.txt").read_bytes())


def test_a_valid_gold_file_loads_and_every_seed_has_an_entry(tmp_path):
    gold = load_seed_gold(write_gold(tmp_path, record(), record("Russophobes", "name_calling"),
                                     record("Russophobes", "loaded_language")))
    assert set(gold) == set(TEXTS)
    assert [(s.technique, s.text) for s in gold[NAME]] == [("loaded_language", "pogroms"),
                                                           ("loaded_language", "Russophobes"),
                                                           ("name_calling", "Russophobes")]
    assert gold["001_2ff82080f37a8d7d"] == []


def test_a_text_that_does_not_match_its_slice_names_the_file_and_line(tmp_path):
    message = gold_error(tmp_path, record(), record(text="progroms"))
    assert "gold.jsonl:2:" in message and "does not match" in message and "'pogroms'" in message


def test_offsets_out_of_range_are_an_error(tmp_path):
    message = gold_error(tmp_path, record(start=len(TEXT) - 2, end=len(TEXT) + 5, text="xx"))
    assert "gold.jsonl:1:" in message and "out of range" in message
    assert "out of range" in gold_error(tmp_path, record(start=10, end=10, text=""))


def test_an_unknown_technique_or_voice_is_an_error(tmp_path):
    assert "unknown technique 'whataboutism'" in gold_error(tmp_path, record(technique="whataboutism"))
    assert "unknown voice 'narrator'" in gold_error(tmp_path, record(voice="narrator"))


def test_an_unknown_article_is_an_error(tmp_path):
    line = record()
    line["article"] = "999_nope"
    assert "unknown article '999_nope'" in gold_error(tmp_path, line)


def test_broken_json_and_wrong_keys_are_errors(tmp_path):
    message = gold_error(tmp_path, record(), '{"article": "000_9a51d189d5fcc860", "start": 3,')
    assert "gold.jsonl:2: not valid JSON" in message
    line = record()
    del line["voice"]
    assert "missing: ['voice']" in gold_error(tmp_path, line)
    assert "extra: ['score']" in gold_error(tmp_path, record(score=0.5))
    assert "must be integers" in gold_error(tmp_path, record(start="35"))


def test_overlapping_spans_of_one_technique_are_an_error(tmp_path):
    start = TEXT.index("open Russophobes")
    wide = record("open Russophobes", "name_calling")
    narrow = record("Russophobes", "name_calling", start=start + 5, end=start + 16)
    message = gold_error(tmp_path, wide, narrow)
    assert "gold.jsonl:2: name_calling span" in message and "overlaps line 1" in message


def test_every_error_is_reported_not_only_the_first(tmp_path):
    message = gold_error(tmp_path, record(text="x"), record(technique="y"))
    assert "gold.jsonl:1:" in message and "gold.jsonl:2:" in message


def test_a_missing_gold_file_is_a_clear_error(tmp_path):
    with pytest.raises(DataError, match="file not found"):
        load_seed_gold(tmp_path / "nothing.jsonl")


@pytest.mark.skipif(not SEED_GOLD.exists(), reason="data/seeds/annotations.jsonl is not written yet")
def test_the_committed_gold_is_valid_and_dense():
    gold = load_seed_gold()
    assert all(gold.values()), "every seed has gold spans"
    per_technique = {t: sum(1 for spans in gold.values() for s in spans if s.technique == t) for t in TECHNIQUES}
    assert per_technique["foreign_hand"] >= 15
    assert "| all |" in counts_table(gold)


# --- PTC -------------------------------------------------------------------------------------------------------

def fake_ptc(tmp_path, labels: str, text="Title\n\nThey are thugs and liars.\n"):
    (tmp_path / "train-articles").mkdir()
    (tmp_path / "train-articles" / "article1.txt").write_text(text, encoding="utf-8")
    (tmp_path / "train-task-flc-tc.labels").write_text(labels, encoding="utf-8")
    return tmp_path


def test_ptc_labels_are_mapped_to_our_techniques(tmp_path):
    folder = fake_ptc(tmp_path, "1\tName_Calling,Labeling\t16\t21\n1\tLoaded_Language\t26\t32\n1\tDoubt\t7\t15\n")
    (document,) = load_ptc(folder)
    assert document.name == "article1"
    assert [(s.technique, s.text) for s in document.spans] == [("name_calling", "thugs"), ("loaded_language", "liars.")]
    assert document.other == [(7, 15, "Doubt")]


def test_a_missing_ptc_folder_is_a_clear_error(tmp_path):
    with pytest.raises(DataError, match="PTC folder not found"):
        load_ptc(tmp_path / "absent")
    (tmp_path / "empty").mkdir()
    with pytest.raises(DataError, match="article folder not found"):
        load_ptc(tmp_path / "empty")


def test_broken_ptc_labels_name_the_line(tmp_path):
    labels = "1\tLoaded_Language\t26\t32\n1\tLoaded_Language\t26\n2\tDoubt\t1\t2\n1\tDoubt\t9\t999\n"
    folder = fake_ptc(tmp_path, labels)
    with pytest.raises(DataError) as caught:
        load_ptc(folder)
    message = str(caught.value)
    assert ":2: expected 4 tab-separated fields" in message
    assert ":3: no article2.txt" in message
    assert ":4: bad offsets" in message


@pytest.mark.ptc
@pytest.mark.skipif(not PTC_DIR.is_dir(), reason="the PTC corpus is not in ../shared/ptc")
def test_the_real_ptc_split_loads():
    documents = load_ptc()
    assert len(documents) == 371
    count = {t: sum(1 for d in documents for s in d.spans if s.technique == t) for t in TECHNIQUES}
    assert count == {"loaded_language": 2123, "name_calling": 1058, "foreign_hand": 0}  # as PTC's README says
    assert all(s.text == d.text[s.start:s.end] for d in documents for s in d.spans)


def test_an_article_is_in_one_part_of_the_committed_ptc_split():
    splits = load_splits()
    assert not set(splits["dev"]) & set(splits["test"])
    dev, test = "article" + splits["dev"][0], "article" + splits["test"][0]
    assert (ptc_part(dev, splits), ptc_part(test, splits), ptc_part("article1", splits)) == ("dev", "test", "train")
    assert ptc_part(splits["test"][0] + ".txt", splits) == "test"  # a file name says the same
    docs = [Document(name, "", [], []) for name in ("article1", dev, test)]
    assert [[d.name for d in part] for part in split_docs(docs, splits)] == [["article1"], [dev], [test]]


# --- EUvsDisinfo -----------------------------------------------------------------------------------------------

def test_euvsdisinfo_rows_become_claims(tmp_path):
    (tmp_path / "claims-2015-2019.csv").write_text(
        "date,id,title,countries,keywords,languages,outlets\n"
        '2019-12-31,u1,"Protests are run by the West, again",Russia+US,Colour revolutions+Puppets,English,X\n',
        encoding="utf-8")
    (claim,) = load_euvsdisinfo(tmp_path)
    assert claim.title == "Protests are run by the West, again"
    assert claim.keywords == ("Colour revolutions", "Puppets") and claim.countries == ("Russia", "US")
    assert claim.date.year == 2019


def test_broken_euvsdisinfo_is_a_clear_error(tmp_path):
    with pytest.raises(DataError, match="EUvsDisinfo folder not found"):
        load_euvsdisinfo(tmp_path / "absent")
    with pytest.raises(DataError, match="file not found"):
        load_euvsdisinfo(tmp_path)
    (tmp_path / "claims-2015-2019.csv").write_text("date,title\n2019-01-01,x\n", encoding="utf-8")
    with pytest.raises(DataError, match="missing column"):
        load_euvsdisinfo(tmp_path)
    (tmp_path / "claims-2015-2019.csv").write_text("date,title,countries,keywords\nyesterday,x,,\n", encoding="utf-8")
    with pytest.raises(DataError, match=":2: bad date"):
        load_euvsdisinfo(tmp_path)


@pytest.mark.skipif(not EUVSDISINFO_DIR.is_dir(), reason="EUvsDisinfo is not in ../shared/euvsdisinfo")
def test_the_real_euvsdisinfo_file_loads():
    claims = load_euvsdisinfo()
    assert len(claims) == 7197
    assert any("Colour revolutions" in c.keywords for c in claims)


# --- agreement between annotation passes -----------------------------------------------------------------------

def test_agreement_of_a_pass_with_itself_is_perfect_and_a_changed_pass_is_not(tmp_path):
    same = load_seed_gold(write_gold(tmp_path, record(), record("open Russophobes", "name_calling")))
    table = agreement_table(same, same)
    assert "| overall (micro) | 2 | 2 | 1.000 | 1.000 | 1.000 | 2/2 |" in table
    # the second pass marks only "Russophobes" (11 of 16 characters) and says it is quoted:
    # name_calling P = 11/16 / 1 = 0.6875 (first vs second), R = 11/11 / 1 = 1.0; overall P = (1 + 0.6875) / 2
    changed = dict(same)
    changed[NAME] = [same[NAME][0], load_seed_gold(write_gold(tmp_path, record(
        "Russophobes", "name_calling", voice="quoted")))[NAME][0]]
    table = agreement_table(same, changed)
    assert "| name_calling | 1 | 1 | 0.688 | 1.000 | 0.815 | 0/1 |" in table
    assert "| overall (micro) | 2 | 2 | 0.844 | 1.000 | 0.915 | 1/2 |" in table


def test_group_sentences_mark_the_charge_never_the_group_and_are_not_the_group_test():
    import json

    from model.paths import GROUP_SENTENCES
    from model.training.corpora import load_group_sentences
    from tools.group_names import GROUPS, NAME_CALLING

    data = json.loads(GROUP_SENTENCES.read_text(encoding="utf-8"))
    docs = load_group_sentences()
    assert len(docs) == len(data["with_group"]) + len(data["with_label"])
    groups = {g.lower() for g in data["groups"]}
    for doc in docs:
        for span in doc.spans:
            assert not groups & set(doc.text[span.start:span.end].lower().split()), (doc.name, span)
    lines = [line for doc in docs for line in doc.text.splitlines()]
    assert any(line.isupper() for line in lines) and any(not line.isupper() for line in lines)
    tested = {g.lower() for g in GROUPS} | {phrase.lower() for _, phrase in NAME_CALLING}
    assert not tested & (groups | {label.lower() for label in data["labels"]})
