from model.spans import Span
from model.techniques import TECHNIQUES
from ui.charts import rates_chart
from ui.render import STYLES
from ui.sources import Source, rates

# 8 words: 1 loaded-language span = 125 per 1,000 words, 2 name-calling spans = 250.
SOURCE = Source(name="s", title="One", text="They are puppets and bandits, he said: pogroms.",
                spans=(Span(9, 16, "name_calling"), Span(21, 28, "name_calling"), Span(39, 46, "loaded_language",
                                                                                        voice="quoted")))


def test_the_rates_chart_uses_the_highlight_colours_and_names_every_bar():
    spec = rates_chart(rates([SOURCE]), ["One"]).to_dict()
    bars, labels = spec["layer"]
    assert bars["encoding"]["color"]["scale"]["range"] == [STYLES[t].line for t in TECHNIQUES]
    assert bars["encoding"]["color"]["legend"] is None  # the words beside each bar replace a colour key
    assert labels["encoding"]["text"]["field"] == "label"
    data = next(iter(spec["datasets"].values()))
    assert sorted(row["label"] for row in data) == ["Foreign hand: 0.0", "Loaded language: 125.0",
                                                    "Name calling: 250.0"]
