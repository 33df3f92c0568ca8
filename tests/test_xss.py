"""Hostile input: markup pasted into Slant is shown as text and never runs, in the renderer and in a real browser."""
import html
import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest

from model.evidence import Evidence
from model.spans import Span
from model.techniques import TECHNIQUES
from ui.render import legend_html, render_html, tooltip

PAYLOADS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//127.0.0.1:9/x.js></SCRIPT>",
    "<scr<script>ipt>alert(2)</scr</script>ipt>",
    "<img src=x onerror=alert(3)>",
    "<svg onload=alert(4)>",
    "<svg><script>alert(5)</script></svg>",
    "<body onload=alert(6)>",
    "<iframe src=\"javascript:alert(7)\"></iframe>",
    "<a href=\"javascript:alert(8)\">click me</a>",
    "<details open ontoggle=alert(9)>",
    "<input autofocus onfocus=alert(10)>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(11)>",
    "\" onmouseover=\"alert(12)\" x=\"",
    "' onfocus='alert(13)' autofocus '",
    "\"><img src=x onerror=alert(14)>",
    "</mark><img src=x onerror=alert(15)><mark>",
    "</div><script>alert(16)</script><div>",
    "<!--<img src=x onerror=alert(17)>-->",
    "&lt;script&gt;alert(18)&lt;/script&gt;",
    "&#60;img src=x onerror=alert(19)&#62;",
    "[click](javascript:alert(20))",
    "![pixel](http://198.51.100.7/track.png)",
    "<a href=x>[link](javascript:alert(21))</a>",
    "{{constructor.constructor('alert(22)')()}}",
    "${alert(23)}",
    "<style>*{display:none}</style>",
    "<meta http-equiv=\"refresh\" content=\"0;url=javascript:alert(24)\">",
    "<object data=\"javascript:alert(25)\"></object>",
    "<base href=\"javascript:alert(26)//\">",
    "`<script>alert(27)</script>`",
    "\u202e<script>alert(28)</script>",
]
ALLOWED = {"div": {"class", "dir"}, "mark": {"class", "tabindex", "data-techniques", "data-tip", "title"},
           "span": {"class"}}


class Elements(HTMLParser):
    """The elements and text of an HTML fragment, as a browser's parser sees them."""

    def __init__(self, fragment: str):
        super().__init__(convert_charrefs=True)
        self.elements, self.text = [], []
        self.feed(fragment)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))

    def handle_startendtag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)


def check_safe(fragment: str, text: str) -> None:
    assert not re.search(r"<\s*(script|img|svg|iframe|style|a|input|body|object|base|meta)\b", fragment, re.I)
    parsed = Elements(fragment)
    for tag, attrs in parsed.elements:
        assert tag in ALLOWED and set(attrs) <= ALLOWED[tag], (tag, attrs)
        assert not any(name.startswith("on") for name in attrs)
    assert "".join(parsed.text) == text


def test_there_are_enough_payloads():
    assert len(PAYLOADS) >= 20


@pytest.mark.parametrize("payload", PAYLOADS)
def test_a_payload_alone_is_escaped(payload):
    check_safe(render_html(payload, []), payload)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_a_payload_cut_by_spans_of_every_technique_is_escaped(payload):
    text = f"Critics said {payload} was a disgrace."
    middle = text.index(payload) + len(payload) // 2
    spans = [Span(0, middle, "loaded_language", 0.9, "author", text[:middle]),
             Span(middle - 3, len(text), "name_calling", 0.5, "quoted", text[middle - 3:]),
             Span(5, len(text) - 1, "foreign_hand", 0.7, "author", text[5:-1])]
    reasons = {span: Evidence(span.technique, marked_words=(payload,), charged_words=((payload, "neg2"),),
                              similar_marked=(payload,), actors=(payload,), steering=(payload,), claim_words=(payload,))
               for span in spans}
    fragment = render_html(text, spans, reasons=reasons)
    check_safe(fragment, text)
    tips = [html.unescape(tip) for tip in re.findall(r'data-tip="([^"]*)"', fragment)]
    assert tips and all(payload in tip for tip in tips)  # the reasons arrive, as attribute text


def test_the_labels_and_definitions_the_renderer_adds_are_escaped(monkeypatch):
    payload = "<img src=x onerror=alert(1)>\"'"
    monkeypatch.setitem(__import__("ui.render", fromlist=["TITLES"]).TITLES, "loaded_language", payload)
    monkeypatch.setitem(__import__("ui.render", fromlist=["DEFINITIONS"]).DEFINITIONS, "name_calling", payload)
    span = Span(0, 4, "name_calling", 0.5, "author", "Thug")
    assert payload in tooltip(span)
    for fragment in (legend_html(TECHNIQUES), render_html("Thug life", [span])):
        assert "<img" not in fragment and "onerror=alert(1)>\"" not in fragment
        for tag, attrs in Elements(fragment).elements:
            assert not any(name.startswith("on") for name in attrs), (tag, attrs)


# -- in a real browser --------------------------------------------------------------------------------------------

BROWSER_PAYLOADS = PAYLOADS + ["\n\n".join(PAYLOADS)]


# Anything on the whole page that a payload could have made: an inline script, an event handler, a javascript: URL.
HOSTILE_ELEMENTS = """[...document.querySelectorAll('*')].filter(e =>
    (e.tagName === 'SCRIPT' && e.textContent.includes('alert'))
    || [...e.attributes].some(a => a.name.startsWith('on') || /^\\s*javascript:/i.test(a.value))).length"""


@pytest.fixture
def watched_page(browser_page):
    """The browser page, with every URL it requests recorded in `page.requests`."""
    browser_page.requests = []
    browser_page.on("request", lambda request: browser_page.requests.append(request.url))
    return browser_page


def _outside_requests(page) -> list[str]:
    return [url for url in page.requests if urlsplit(url).hostname not in {"127.0.0.1", "localhost", None}]


def _analyse(page, url: str, text: str, title: str = "") -> None:
    """Paste `text` on the Analyse page (opened unless it is open) and wait until it is shown highlighted."""
    if not page.url.endswith("/analyse"):
        page.goto(f"{url}/analyse")
    box = page.get_by_label("Article text")
    box.wait_for(timeout=60_000)
    if title:
        page.get_by_label("Title (optional)").fill(title)
        page.get_by_label("Title (optional)").press("Enter")
    box.fill(text)
    box.press("Control+Enter")
    # One highlighted text, the new one: while Streamlit reruns, the old element can stay beside the new for a moment.
    page.wait_for_function("t => { const shown = document.querySelectorAll('.slant-text'); "
                           "return shown.length === 1 && shown[0].textContent === t; }", arg=text, timeout=60_000)


@pytest.mark.browser
def test_pasted_payloads_show_as_literal_text_and_never_run(app_server, watched_page):
    page = watched_page
    for payload in BROWSER_PAYLOADS:
        _analyse(page, app_server, payload)
        shown = page.locator(".slant-text")
        assert shown.count() == 1
        # Only the renderer's own elements inside the highlighted text: nothing the payload wrote.
        tags = page.evaluate("[...document.querySelectorAll('.slant-text *')].map(e => e.tagName.toLowerCase())")
        assert set(tags) <= {"mark", "span"}, payload
        assert page.evaluate(HOSTILE_ELEMENTS) == 0, payload
    page.wait_for_timeout(500)  # let any delayed handler (onload, onerror, autofocus) fire before we look
    assert page.dialogs == []
    assert _outside_requests(page) == []


@pytest.mark.browser
def test_a_hostile_title_shows_as_text_and_loads_nothing(app_server, watched_page):
    page = watched_page
    title = "![pixel](http://198.51.100.7/t.png) <img src=x onerror=alert(1)> [x](javascript:alert(2))"
    _analyse(page, app_server, "The minister called the plan a disgrace.", title=title)
    headings = page.evaluate("[...document.querySelectorAll('h1,h2,h3')].map(h => h.textContent)")
    assert title in headings
    assert page.evaluate(HOSTILE_ELEMENTS) == 0
    assert page.locator("img[src*='198.51.100.7'], img[src='x']").count() == 0
    assert page.dialogs == []
    assert _outside_requests(page) == []


@pytest.mark.browser
def test_an_article_pasted_into_the_spot_it_exercise_shows_as_text(app_server, watched_page):
    page = watched_page
    page.goto(f"{app_server}/spot")
    page.locator("summary").filter(has_text="Use your own article").click()
    sentences = [f"The so-called experts wrote {payload} again." for payload in PAYLOADS[:12]]
    page.get_by_label("Title").fill("<svg onload=alert('title')> ![t](http://198.51.100.7/t.png)")
    page.get_by_label("Article text").fill(" ".join(sentences))
    page.get_by_role("button", name="Add this article").click()
    page.get_by_text("(12) The so-called experts", exact=False).wait_for(timeout=60_000)  # the sentences to tick
    page.wait_for_timeout(500)
    shown = page.evaluate("document.body.innerText")
    assert "<img src=x onerror=alert(3)>" in shown and "<svg onload=alert(4)>" in shown
    assert page.evaluate(HOSTILE_ELEMENTS) == 0
    assert page.dialogs == []
    assert _outside_requests(page) == []
