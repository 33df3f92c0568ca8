"""The span tagger: learns from toy data, labels deterministically, and its output keeps the span contract."""
import json
import shutil

import pytest

from model.features import split_sentences
from model.spans import Span
from model.tagger import ModelFileError, load_tagger, open_tagger
from model.training.train import bio_labels, build
from tests.toy_docs import Doc, toy_article


def toy_doc(i: int) -> Doc:
    """Sentences in which 'bloodthirsty' words are loaded language and 'puppets' name calling."""
    return toy_article(f"toy{i}", ["bloodthirsty", "barbaric", "monstrous", "savage"][i % 4], "puppets", i)


@pytest.fixture(scope="module")
def toy_tagger(tmp_path_factory):
    docs = [toy_doc(i) for i in range(40)]
    folder = tmp_path_factory.mktemp("toy")
    return build(docs, folder, {"toy": True}, foreign_hand=False, encoder_dir=None, log=lambda *a: None)


def test_bio_labels_mark_the_first_token_of_each_span():
    doc = toy_doc(0)
    sentence = split_sentences(doc.text)[0]
    assert list(zip(sentence.words[:3], bio_labels(sentence, doc.spans)[:3], strict=True)) == [
        ("The", "O"), ("bloodthirsty", "B-loaded_language"), ("attack", "O"),
    ]


def test_toy_model_finds_both_techniques_in_unseen_sentences(toy_tagger):
    text = "Yesterday the savage attack surprised everyone. Protesters called the judges puppets of the bank."
    found = {(s.text, s.technique) for s in toy_tagger.label(text, threshold=0.3)}
    assert ("savage", "loaded_language") in found
    assert ("puppets", "name_calling") in found
    assert all(t != "loaded_language" for w, t in found if w in ("Tuesday", "budget"))


def test_toy_model_explains_a_span_with_its_word(toy_tagger):
    text = "The barbaric attack shocked the town."
    span = next(s for s in toy_tagger.label(text, threshold=0.3) if s.technique == "loaded_language")
    reasons = toy_tagger.explain(text, span, k=3)
    assert 1 <= len(reasons) <= 3
    assert all(weight > 0 for _, _, weight in reasons)
    assert [w for _, _, w in reasons] == sorted((w for _, _, w in reasons), reverse=True)


def test_training_is_reproducible(tmp_path):
    docs = [toy_doc(i) for i in range(12)]
    first = build(docs, tmp_path / "a", {}, foreign_hand=False, encoder_dir=None, log=lambda *a: None)
    second = build(docs, tmp_path / "b", {}, foreign_hand=False, encoder_dir=None, log=lambda *a: None)
    assert (tmp_path / "a" / "tagger.crfsuite").read_bytes() == (tmp_path / "b" / "tagger.crfsuite").read_bytes()
    assert (tmp_path / "a" / "manifest.json").read_text() == (tmp_path / "b" / "manifest.json").read_text()
    text = toy_doc(99).text
    assert first.label(text) == second.label(text)


SAMPLE = (
    "The regime's brutal thugs unleashed a bloodbath on peaceful protesters, while the so-called opposition, a "
    "gang of traitors and puppets of Washington, cheered. “These Russophobes are lunatics,” the minister said.\n"
    "Officials will meet on Tuesday to discuss the budget for next year.\n"
)


def test_committed_model_output_keeps_the_span_contract():
    tagger = load_tagger()
    spans = tagger.label(SAMPLE, threshold=0.0)
    assert spans, "a text full of loaded words should yield candidate spans"
    assert spans == sorted(spans, key=lambda s: (s.start, s.end, s.technique))
    for s in spans:
        assert s.text == SAMPLE[s.start:s.end]
        assert 0.0 <= s.score <= 1.0
        assert s.voice in ("author", "quoted")
    for technique in {s.technique for s in spans}:
        mine = [s for s in spans if s.technique == technique]
        assert all(a.end <= b.start for a, b in zip(mine, mine[1:], strict=False))


def test_same_text_same_spans_and_threshold_filters():
    tagger = load_tagger()
    assert tagger.label(SAMPLE) == tagger.label(SAMPLE)
    assert tagger.label(SAMPLE) == open_tagger(tagger.folder).label(SAMPLE)
    everything = tagger.label(SAMPLE, threshold=0.0)
    strict = tagger.label(SAMPLE, threshold=0.6)
    assert set(strict) <= set(everything)
    assert all(s.score >= 0.6 for s in strict)
    assert 0.0 < tagger.default_threshold < 1.0


@pytest.mark.parametrize("threshold", [None, {"name_calling": 0.3}, 0.5, 0.05])
def test_one_pass_gives_the_spans_and_the_weaker_ones_their_thresholds_hide(threshold):
    from model.data import load_seeds

    tagger = load_tagger()
    limits = tagger.limits(threshold)
    for seed in load_seeds()[:3]:
        shown, hidden = tagger.label_with_hidden(seed.text, threshold, 0.1)
        assert shown == tagger.label(seed.text, threshold)
        assert hidden == [s for s in tagger.label(seed.text, 0.1) if s.score < limits[s.technique]]
    assert hidden or threshold == 0.05  # the comparison is not of empty lists


def test_empty_and_odd_text_yield_no_error():
    tagger = load_tagger()
    for text in ("", "   \n\n", "!!!!", "a" * 5000, "😀" * 100, "\x00\x01"):
        assert isinstance(tagger.label(text), list)


def copy_model(tmp_path):
    shutil.copytree(load_tagger().folder, tmp_path, dirs_exist_ok=True)
    return tmp_path


def test_an_altered_model_file_is_refused(tmp_path):
    folder = copy_model(tmp_path)
    data = bytearray((folder / "tagger.crfsuite").read_bytes())
    data[len(data) // 2] ^= 0xFF
    (folder / "tagger.crfsuite").write_bytes(bytes(data))
    with pytest.raises(ModelFileError, match="does not match"):
        open_tagger(folder)


def test_a_model_from_another_crfsuite_version_is_refused(tmp_path):
    folder = copy_model(tmp_path)
    manifest = json.loads((folder / "manifest.json").read_text())
    manifest["written_by"]["python-crfsuite"] = "0.0.1"
    (folder / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(ModelFileError, match="python-crfsuite 0.0.1"):
        open_tagger(folder)


def test_a_missing_model_says_how_to_make_one(tmp_path):
    with pytest.raises(ModelFileError, match="python -m model train"):
        open_tagger(tmp_path)


def test_explanations_never_show_the_sentence_padding_tokens():
    from ui.explain import describe_feature

    for feature in ("w+2=</s>", "w-1=<s>", "b-=<s>|the", "b+=war|</s>"):
        assert "<s>" not in describe_feature(feature) and "</s>" not in describe_feature(feature)


def test_word_class_features_read_as_groups_of_words():
    from ui.explain import describe_feature

    assert describe_feature("c256=114") == "a word of like meaning to others in group 114 (of 256 groups of words)"
    assert (describe_feature("c256=190", ("bloodbath", "farce"))
            == "a word of like meaning to “bloodbath”, “farce” (group 190 of 256)")


def test_a_word_class_is_shown_by_training_words_of_its_technique(toy_tagger):
    group = next(f for f in toy_tagger.token_tagger.features.classes.features_of["savage"] if f.startswith("c64="))
    assert toy_tagger.token_tagger.class_examples(group, "loaded_language") == ("savage",)
    assert toy_tagger.token_tagger.class_examples(group, "loaded_language", exclude={"savage"}) == ()
    assert toy_tagger.token_tagger.class_examples(group, "name_calling") == ()
    assert toy_tagger.token_tagger.class_examples("w=savage", "loaded_language") == ()


def test_candidate_spans_shed_function_words_and_quotes_at_their_edges(toy_tagger, monkeypatch):
    from model.techniques import TOKEN_TECHNIQUES

    text = "They are “a gang of traitors and” thieves."
    marked = ("“", "a", "gang", "of", "traitors", "and", "”")

    def marginals(words, head=None, head_share=0.0):  # each marked token inside a name-calling span, p 0.5
        return [None if w not in marked else tuple((0.0, 0.5, 0.5 if t == "name_calling" else 0.0)
                                                   for t in TOKEN_TECHNIQUES) for w in words]

    monkeypatch.setattr(toy_tagger.token_tagger, "marginals", marginals)
    assert [(text[s:e], t, raw) for s, e, t, raw in toy_tagger.token_tagger.candidates(text)] == [
        ("gang of traitors", "name_calling", 0.5)]
    marked = ("“", "a")
    assert toy_tagger.token_tagger.candidates(text) == []


def test_training_writes_a_sparse_token_regression_for_both_techniques(toy_tagger):
    token_lr = json.loads((toy_tagger.token_tagger.folder / "manifest.json").read_text(encoding="utf-8"))["token_lr"]
    assert set(token_lr["bias"]) == set(token_lr["weights"]) == {"loaded_language", "name_calling"}
    assert all(w != 0 for weights in token_lr["weights"].values() for w in weights.values())


def _toy_variant(toy_tagger, token_lr):
    from model.token_tagger import CRF_FILE, TokenTagger

    manifest = dict(toy_tagger.manifest)
    if token_lr is None:
        manifest.pop("token_lr")
    else:
        manifest["token_lr"] = token_lr
    return TokenTagger(toy_tagger.token_tagger.folder / CRF_FILE, manifest)


def test_a_token_probability_mixes_the_crf_marginal_with_the_token_regression(toy_tagger):
    from model.techniques import TOKEN_TECHNIQUES
    from model.token_tagger import TOKEN_LR_SHARE

    words = split_sentences("Critics called the ministers puppets of the bank.")[0].words
    crf_only = _toy_variant(toy_tagger, None).marginals(words)
    assert all(p == p_begin + p_inside for m in crf_only if m for p_begin, p_inside, p in m)
    silent = {"bias": {"loaded_language": -30.0, "name_calling": -30.0},
              "weights": {"loaded_language": {}, "name_calling": {"w=puppets": 60.0}}}
    mixed = _toy_variant(toy_tagger, silent).marginals(words)
    puppets, calling = words.index("puppets"), TOKEN_TECHNIQUES.index("name_calling")
    assert mixed[puppets][calling][2] > crf_only[puppets][calling][2] > 0
    for i, (before, after) in enumerate(zip(crf_only, mixed, strict=True)):
        if before is None:
            assert after is None
            continue
        for k, (p_begin, p_inside, p) in enumerate(after):
            assert (p_begin, p_inside) == before[k][:2]
            share = TOKEN_LR_SHARE if (i, k) == (puppets, calling) else 0.0
            assert p == pytest.approx((1 - TOKEN_LR_SHARE) * (p_begin + p_inside) + share, abs=1e-9)


def test_the_token_regression_only_rescores_tokens_the_crf_already_finds_likely(toy_tagger):
    words = "The committee met the delegates on Tuesday."
    sure = {"bias": {"loaded_language": 30.0, "name_calling": 30.0},
            "weights": {"loaded_language": {}, "name_calling": {}}}
    assert _toy_variant(toy_tagger, sure).candidates(words) == _toy_variant(toy_tagger, None).candidates(words) == []


def test_the_package_api_loads_the_committed_model_once_and_labels():
    import model

    tagger = model.load()
    assert tagger is model.load()
    spans = tagger.label("The regime's brutal thugs unleashed a bloodbath, the minister said.")
    assert all(isinstance(s, Span) for s in spans)


def test_the_evidence_of_a_span_is_words_a_reader_can_check():
    import model

    tagger = model.load()
    text = "The brutal regime's thugs crushed the protest in a bloodbath. The unrest was inspired from the outside " \
           "by Western agents who paid the protesters."
    spans = tagger.label(text)
    loaded = next(s for s in spans if s.technique == "loaded_language" and "bloodbath" in s.text)
    evidence = tagger.evidence(text, loaded)
    assert "bloodbath" in evidence.marked_words
    assert evidence.similar_marked and "bloodbath" not in evidence.similar_marked
    calling = next(s for s in spans if s.technique == "name_calling" and "brutal" in s.text)
    assert ("brutal", "neg2") in tagger.evidence(text, calling).charged_words
    claim = next(s for s in spans if s.technique == "foreign_hand")
    evidence = tagger.evidence(text, claim)
    assert "Western" in evidence.actors and {"paid", "inspired"} & set(evidence.steering)


def test_a_token_takes_the_highest_head_probability_of_the_wordpieces_it_overlaps():
    import numpy as np

    from model.token_tagger import by_token

    # "unbelievably" cut into three pieces, "cruel" one, then a gap the tokens below do not reach
    offsets = np.array([[0, 2], [2, 8], [8, 12], [13, 18]])
    probabilities = np.array([[0.1, 0.0], [0.7, 0.2], [0.3, 0.4], [0.9, 0.1]], dtype=np.float32)
    tokens = [(0, 12), (13, 18), (19, 25)]
    assert by_token((offsets, probabilities), tokens) == pytest.approx(np.array([[0.7, 0.4], [0.9, 0.1], [0.0, 0.0]]))
    assert by_token((np.zeros((0, 2), int), np.zeros((0, 2), np.float32)), tokens).shape == (3, 2)


def test_the_token_head_is_mixed_in_by_its_share_and_can_add_a_token_the_crf_misses(toy_tagger):
    import numpy as np

    from model.techniques import TOKEN_TECHNIQUES

    text = "The committee met the delegates on Tuesday."
    sentence = split_sentences(text)[0]
    tuesday, loaded = sentence.words.index("Tuesday"), TOKEN_TECHNIQUES.index("loaded_language")
    head = np.zeros((len(sentence.words), len(TOKEN_TECHNIQUES)), dtype=np.float32)
    head[tuesday, loaded] = 1.0
    assert toy_tagger.token_tagger.marginals(sentence.words, head, 0.0)[tuesday] is None
    p_begin, p_inside, p = toy_tagger.token_tagger.marginals(sentence.words, head, 0.5)[tuesday][loaded]
    crf = toy_tagger.token_tagger.marginals(sentence.words)
    assert crf[tuesday] is None  # the CRF alone does not ask for it
    assert p == pytest.approx(0.5 + 0.5 * p_begin + 0.5 * p_inside, abs=0.05)
    start = text.index("Tuesday")
    pieces = (np.array([[start, start + 7]]), np.array([[1.0, 0.0]], dtype=np.float32))
    found = toy_tagger.token_tagger.candidates(text, pieces, head_share=0.5)
    assert [(text[s:e], tech) for s, e, tech, _ in found] == [("Tuesday", "loaded_language")]
    assert toy_tagger.token_tagger.candidates(text, pieces, head_share=0.0) == []


def test_the_committed_encoder_gives_every_wordpiece_a_probability_of_each_technique():
    import model
    from model.techniques import HEAD_TECHNIQUES

    tagger = model.load()
    text = "Those treacherous bandits murdered our brave boys. The council met on Tuesday."
    encoded = tagger.encode(text)
    assert tagger.encoder.has_head and 0 < tagger.token_tagger.head_share <= 1
    for sentence in encoded:
        assert sentence.techniques.shape == (len(sentence.offsets), len(HEAD_TECHNIQUES))
        assert ((sentence.techniques >= 0) & (sentence.techniques <= 1)).all()
    charged, plain = (max(float(p[:2].max()) for p in s.techniques) for s in encoded)
    assert charged > 0.5 > plain


def test_a_token_below_the_candidate_floor_ends_a_run(toy_tagger, monkeypatch):
    from model.techniques import TOKEN_TECHNIQUES

    text = "The zorp blick quom attack."
    loaded = {"zorp": 0.5, "blick": 0.15, "quom": 0.5}  # each token inside a span (P(I) > P(B)), by its probability

    def marginals(words, head=None, head_share=0.0):
        return [None if w not in loaded else tuple((0.0, 0.5, loaded[w] if t == "loaded_language" else 0.0)
                                                   for t in TOKEN_TECHNIQUES) for w in words]

    monkeypatch.setattr(toy_tagger.token_tagger, "marginals", marginals)

    def spans(floor):
        return [text[s:e] for s, e, _, _ in toy_tagger.token_tagger.candidates(text, floor=floor)]

    assert spans(0.1) == ["zorp blick quom"]
    assert spans(0.2) == ["zorp", "quom"]
    assert spans(0.0) == spans(0.1)  # never below the floor under which tokens are not asked


def test_details_for_a_span_start_with_what_the_sentence_says_to_the_encoder():
    import model
    from ui.explain import describe_feature

    tagger = model.load()
    text = "The regime's brutal thugs unleashed a savage bloodbath on peaceful villagers."
    span = next(s for s in tagger.label(text) if s.technique in ("loaded_language", "name_calling"))
    (feature, examples, p), *crf = tagger.explain(text, span)
    assert feature == "context" and examples == () and 0 <= p <= 1
    assert crf and all(f != "context" for f, _, _ in crf)
    assert "language model" in describe_feature(feature)


def test_the_default_threshold_is_the_lowest_whose_held_out_precision_reaches_one_half():
    from model.training.scoring import Metrics
    from model.training.train import sure_thresholds

    def point(p_loaded, p_calling, n=10):
        return {"loaded_language": Metrics(p_loaded, 0.3, 0.3, n, 20),
                "name_calling": Metrics(p_calling, 0.3, 0.3, n, 20)}

    curve = {0.1: point(0.6, 0.2), 0.2: point(0.3, 0.3), 0.3: point(0.5, 0.4), 0.4: point(0.7, 0.45),
             0.5: point(1, 1, 0)}
    balanced = {"loaded_language": 0.2, "name_calling": 0.2}
    # loaded language: 0.1 is below its balanced threshold, 0.3 the first at 0.5; name calling: never (0.5 has no span)
    assert sure_thresholds(curve, balanced) == {"loaded_language": 0.3, "name_calling": 0.2}


def test_training_takes_its_hyperparameters_as_arguments(toy_tagger, tmp_path):
    from model.training.train import Params

    stronger_l1 = Params(crf=(("c1", 3.0),) + Params.crf[1:])
    sparse = build([toy_doc(i) for i in range(40)], tmp_path, {}, foreign_hand=False, encoder_dir=None,
                   log=lambda *a: None, params=stronger_l1)
    import pycrfsuite

    from model.token_tagger import CRF_FILE

    def weights(tagger):
        crf = pycrfsuite.Tagger()
        crf.open(str(tagger.folder / CRF_FILE))
        return crf.info().state_features

    assert 0 < len(weights(sparse)) < len(weights(toy_tagger))


def test_a_saved_model_loads_and_labels_as_the_one_it_was_saved_from(toy_tagger, tmp_path):
    toy_tagger.save(tmp_path / "copy")
    copy = open_tagger(tmp_path / "copy")
    text = "The savage regime and its puppets crushed the villagers. The council met on Tuesday."
    assert copy.label(text, threshold=0.2) == toy_tagger.label(text, threshold=0.2)
    assert copy.manifest == toy_tagger.manifest


def test_the_committed_model_saves_to_the_same_files_byte_for_byte(tmp_path):
    import model
    from model.manifest import sha256

    committed = model.load()
    committed.save(tmp_path)
    assert (tmp_path / "manifest.json").read_bytes() == (committed.folder / "manifest.json").read_bytes()
    assert all(sha256(tmp_path / name) == digest for name, digest in committed.manifest["files"].items())


def test_the_head_trims_the_people_a_crf_run_carries_on_to(toy_tagger, monkeypatch):
    """"The puppet government persecutes Muslims": the CRF's run goes on past the label, the head places the
    people outside it; a run the head has no core in is the CRF's alone and stays."""
    import numpy as np

    from model.techniques import TOKEN_TECHNIQUES

    text = "The puppet government persecutes Muslims and lies."
    run = ("puppet", "government", "persecutes", "Muslims")
    calling = TOKEN_TECHNIQUES.index("name_calling")

    def marginals(words, head=None, head_share=0.0):  # the CRF's run: each token inside a name-calling span, p 0.6
        return [None if w not in run else tuple((0.0, 0.5, 0.6 if t == "name_calling" else 0.0)
                                                for t in TOKEN_TECHNIQUES) for w in words]

    monkeypatch.setattr(toy_tagger.token_tagger, "marginals", marginals)

    def spans(head_of_puppet):
        starts = [text.index(w) for w in ("The", "puppet", "government", "persecutes", "Muslims", "and", "lies")]
        offsets = np.array([(s, s + len(w)) for s, w in zip(starts, text.rstrip(".").split(), strict=True)])
        probabilities = np.zeros((len(offsets), len(TOKEN_TECHNIQUES)), dtype=np.float32)
        probabilities[:, calling] = [0.0, head_of_puppet, 0.3, 0.02, 0.03, 0.0, 0.0]
        found = toy_tagger.token_tagger.candidates(text, (offsets, probabilities), head_share=0.25)
        return [text[s:e] for s, e, tech, _ in found if tech == "name_calling"]

    assert spans(0.8) == ["puppet government"]  # "government" (0.3) is not placed outside: it stays
    assert spans(0.4) == ["puppet government persecutes Muslims"]  # no core from the head: the CRF's run
