"""The comparison's chart (Altair), in the colours of the highlights, each bar named in words (no colour key
to decode, readable in grey-scale), large fonts for a projector."""
import altair as alt
import pandas as pd

from model.techniques import TECHNIQUES, TITLES
from ui.render import STYLES

FONT_SIZE = 14
LARGE_FONT_SIZE = 18


def rates_chart(rates: pd.DataFrame, order: list[str], font_size: int = FONT_SIZE) -> alt.LayerChart:
    """Horizontal bars: per source, spans per 1,000 words of each technique, named and numbered at the bar's end."""
    titles = [TITLES[t] for t in TECHNIQUES]
    data = rates.assign(label=[f"{t}: {v:.1f}" for t, v in zip(rates["technique"], rates["per_1000_words"],
                                                                 strict=True)])
    base = alt.Chart(data).encode(
        y=alt.Y("source:N", title=None, sort=order, axis=alt.Axis(labelLimit=220, labelFontSize=font_size)),
        yOffset=alt.YOffset("technique:N", sort=titles),
        x=alt.X("per_1000_words:Q", title="spans per 1,000 words",
                scale=alt.Scale(domainMax=max(1.0, 1.8 * float(rates["per_1000_words"].max() or 0))),
                axis=alt.Axis(titleFontSize=font_size, labelFontSize=font_size - 2)),
        tooltip=["source:N", "technique:N", "spans:Q", "words:Q", "per_1000_words:Q"],
    )
    colour = alt.Color("technique:N", legend=None,
                       scale=alt.Scale(domain=titles, range=[STYLES[t].line for t in TECHNIQUES]))
    bars = base.mark_bar(height={"band": 0.85}).encode(color=colour)
    labels = base.mark_text(align="left", dx=5, fontSize=font_size - 1).encode(text="label:N")
    return bars + labels
