"""Group names are not insults by themselves: how often the model marks a bare group word as name calling.

    .venv/bin/python tools/group_names.py [--model DIR]

Three directions (issue 18), each over 35 groups (religious, ethnic, national, political, professional), every
sentence in its own case and in capitals:
- neutral sentences naming the group: no name_calling span may cover the group word;
- charged sentences beside the group ("The brutal regime attacked Muslims again."): the charge may be marked, the
  group word may not (runs of tokens that do not stop swallow it);
- real name calling ("Jihadi Muslims", "Russophobes"): it must stay findable.
Prints the counts and the failing sentences; tests/test_group_names.py holds the directions that hold today.
"""
import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run as a script from anywhere

GROUPS = ("Muslims", "Jews", "Christians", "Hindus", "Buddhists", "Catholics", "immigrants", "refugees", "migrants",
          "Russians", "Ukrainians", "Americans", "Chinese", "Arabs", "Africans", "Mexicans", "Kazakhs", "Belarusians",
          "Democrats", "Republicans", "liberals", "conservatives", "socialists", "communists", "journalists",
          "activists", "police", "soldiers", "teachers", "doctors", "lawyers", "farmers", "workers", "students",
          "protesters")
NEUTRAL = ("Many {} live in the city.", "The survey asked {} about the new law.", "{} met the mayor on Tuesday.",
           "A report on {} was published this week.")
CHARGED = ("The brutal regime attacked {} again.", "Outraged {} say the corrupt elites have betrayed them.",
           "Thugs beat {} in a savage bloodbath.", "The puppet government persecutes {} and lies about it.")
# (sentence, the name calling in it)
NAME_CALLING = (("Jihadi Muslims burned the church.", "Jihadi Muslims"),
                ("The Russophobes in Warsaw want war.", "Russophobes"),
                ("These presstitutes lie every day.", "presstitutes"),
                ("Bandits and traitors run the country.", "Bandits"))


def sentences(templates) -> list[tuple[str, str]]:
    """(sentence, group word) for every group and template, in the sentence's own case and in capitals."""
    out = []
    for group in GROUPS:
        for template in templates:
            word = group[0].upper() + group[1:] if template.startswith("{}") else group
            out += [(template.format(word), word), (template.format(word).upper(), word.upper())]
    return out


def covers_group(tagger, sentence: str, word: str, threshold=None) -> list:
    """The name_calling spans of `sentence` that cover `word` (at the tagger's `threshold`; None: the defaults)."""
    start = sentence.index(word)
    return [s for s in tagger.label(sentence, threshold) if s.technique == "name_calling" and s.start <= start
            and start + len(word) <= s.end]


def found(tagger, sentence: str, phrase: str, threshold=None) -> bool:
    start = sentence.index(phrase)
    return any(s.technique == "name_calling" and s.start < start + len(phrase) and start < s.end
               for s in tagger.label(sentence, threshold))


def main() -> None:
    from model.tagger import load_tagger

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default=None, help="model folder (default: model/weights)")
    tagger = load_tagger(parser.parse_args().model)
    for setting, threshold in (("default", None), ("balanced", tagger.balanced_thresholds)):
        print(f"at the {setting} thresholds {tagger.limits(threshold)}:")
        for name, templates in (("neutral", NEUTRAL), ("charged", CHARGED)):
            bad = [(s, [x.text for x in spans]) for s, w in sentences(templates)
                   if (spans := covers_group(tagger, s, w, threshold))]
            print(f"  {name}: the group word inside a name_calling span in {len(bad)} of {len(sentences(templates))}")
            for sentence, spans in bad:
                print(f"      {sentence}  ->  {spans}")
        missed = [s for s, phrase in NAME_CALLING if not found(tagger, s, phrase, threshold)]
        print(f"  name calling found in {len(NAME_CALLING) - len(missed)} of {len(NAME_CALLING)}; missed: {missed}")


if __name__ == "__main__":
    main()
