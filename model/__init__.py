"""Slant's model package: the labelling pipeline (text -> sentences and tokens -> encoder, once per text -> the CRF
for loaded_language and name_calling, the foreign_hand component -> spans with voice), its training, evaluation and
command line.

    import model
    tagger = model.load()            # the committed model in model/weights (or model.load(FOLDER))
    spans = tagger.label(text)       # [model.spans.Span], sorted; tagger.evidence(text, span) says why

    from model.training.train import Params, build, build_from_corpora
    tagger = build(documents, folder, {}, params=Params(cv_folds=5))   # trains, writes `folder`, returns the pipeline
    tagger = build_from_corpora(folder)   # the committed model's recipe, from the corpora in ../shared

Imports happen inside load(), so that `python -m model label` starts fast.
"""


def load(folder=None):
    """The model in `folder` (default model/weights), loaded once per process; ModelFileError if it is damaged."""
    from model.tagger import load_tagger

    return load_tagger(folder)
