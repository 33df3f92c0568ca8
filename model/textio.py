"""Turning what a user gives (a path, bytes, pasted text) into text the tagger can read, or a clear reason why not.

Policy (see docs/decisions/input-limits.md for the measurements behind it):
- Encoding: UTF-8, with or without a byte-order mark, or UTF-16 with a byte-order mark. Anything else is refused
  with a message that says how to save the file as UTF-8; we never guess a legacy encoding, because a wrong guess
  labels mojibake silently. A byte-order mark is not part of the text: offsets index the text after it.
- Size: the app labels at most `MAX_CHARS` characters (a long article is 10,000-30,000); `read_text_file` at most
  `CLI_MAX_CHARS`. Longer text is refused, never cut silently (the command line reads any size in pieces: corpus.py).
- The command line labels the text exactly as decoded (its offsets index the file); only the app cleans control
  characters (`clean_text`), and it labels and shows the cleaned text, so its offsets index what it shows.
- HTML is reduced to its text only when the user gives an HTML file; pasted text is always labelled as typed
  (pasted markup shows as literal text), with a warning when it looks like HTML.
- Language: the model reads English only; `language_warning` says so when the text does not look English.
"""
import codecs
import os
import re
import unicodedata
from html.parser import HTMLParser
from pathlib import Path

# Measured: labelling costs about 1 s per 100,000 characters on one core (docs/decisions/input-limits.md).
MAX_CHARS = 100_000
CLI_MAX_CHARS = 2_000_000
HTML_SUFFIXES = (".html", ".htm", ".xhtml")


class InputError(ValueError):
    """An input that cannot be labelled; the message is meant for the user."""


_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


def decode_bytes(data: bytes, max_chars: int = CLI_MAX_CHARS) -> str:
    """The text of a file's bytes under the encoding policy above, or InputError saying why not."""
    if not data.strip():
        raise InputError("it is empty")
    encoding = next((name for bom, name in _BOMS if data.startswith(bom)), "utf-8")
    if encoding == "utf-8" and b"\x00" in data:
        raise InputError("it looks like a binary file, not text")
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as err:
        if encoding != "utf-8":
            raise InputError(f"it starts like UTF-16 text but is not (bad bytes at position {err.start})") from None
        raise InputError(
            f"it is not UTF-8 text (undecodable byte at position {err.start}); "
            "save it as UTF-8 (in most editors: Save as… → Encoding: UTF-8) and try again"
        ) from None
    if "\x00" in text or _control_share(text) > 0.1:
        raise InputError("it looks like a binary file, not text")
    return check_length(text, max_chars)


def open_binary(path: str | Path):
    """`path` opened for reading bytes, or InputError saying why it cannot be (missing, a directory, unreadable)."""
    try:
        return open(path, "rb")
    except FileNotFoundError:
        raise InputError("no such file") from None
    except IsADirectoryError:
        raise InputError("it is a directory") from None
    except OSError as err:
        raise InputError(f"cannot read it ({err.strerror})") from None


def read_text_file(path: str | Path, max_chars: int = CLI_MAX_CHARS) -> str:
    with open_binary(path) as f:
        size = os.fstat(f.fileno()).st_size
        if size > 4 * max_chars + 4:  # more bytes than the longest allowed text can take, even in UTF-8
            raise InputError(f"it is {size / 1e6:,.1f} MB; Slant labels at most {max_chars:,} characters at a time")
        try:
            data = f.read()
        except OSError as err:
            raise InputError(f"cannot read it ({err.strerror})") from None
    return decode_bytes(data, max_chars)


def about_words(chars: int) -> int:
    """Roughly how many English words `chars` characters hold (six characters a word, with its space)."""
    return int(round(chars / 6, -3))


def check_length(text: str, max_chars: int = MAX_CHARS) -> str:
    """`text` itself, or InputError when it is empty, only white space, or longer than `max_chars`."""
    if not text:
        raise InputError("it is empty")
    if not text.strip():
        raise InputError("it contains only white space")
    if len(text) > max_chars:
        raise InputError(
            f"it is {len(text):,} characters long; Slant labels at most {max_chars:,} characters at a time "
            f"(about {about_words(max_chars):,} words). Split it into parts and label each"
        )
    return text


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def _control_share(text: str) -> float:
    return len(_CONTROL.findall(text)) / len(text) if text else 0.0


def clean_text(text: str) -> str:
    """Line breaks as \\n, control characters other than tab and line break removed (the app labels the result)."""
    return _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


_REMOVED = re.compile(r"\r(?=\n)|" + _CONTROL.pattern)


def removed_positions(text: str) -> tuple[int, ...]:
    """Where `clean_text` drops a character of `text` (the CR of a CRLF, control characters), in `text`."""
    return tuple(m.start() for m in _REMOVED.finditer(text))


def original_offset(removed: tuple[int, ...], offset: int) -> int:
    """The offset in the original text of `offset` in its cleaned text, given the `removed_positions`."""
    # The k-th removed character stood before cleaned offset removed[k] - k; each one at or before it shifts it.
    low, high = 0, len(removed)
    while low < high:
        mid = (low + high) // 2
        if removed[mid] - mid <= offset:
            low = mid + 1
        else:
            high = mid
    return offset + low


# -- HTML ---------------------------------------------------------------------------------------------------------

_DROPPED = frozenset({"script", "style", "head", "noscript", "template", "svg", "math", "iframe", "object"})
_PARAGRAPHS = frozenset({"p", "div", "section", "article", "header", "footer", "main", "aside", "nav", "blockquote",
                         "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "table", "figure", "pre", "form", "hr"})
_LINES = frozenset({"br", "li", "tr", "dt", "dd", "figcaption", "caption", "title"})
_VOID = frozenset({"br", "hr", "img", "input", "meta", "link", "area", "base", "col", "embed", "source", "track",
                   "wbr"})


class _TextParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.dropped = 0  # depth inside elements whose content is not text (script, style, …)

    def handle_starttag(self, tag, attrs):
        if tag in _DROPPED and tag not in _VOID:
            self.dropped += 1
        self._break(tag, start=True)

    def handle_startendtag(self, tag, attrs):
        self._break(tag, start=True)

    def handle_endtag(self, tag):
        if tag in _DROPPED and self.dropped:
            self.dropped -= 1
        self._break(tag, start=False)

    def handle_data(self, data):
        if not self.dropped:
            self.parts.append(_HTML_SPACES.sub(" ", data))

    def _break(self, tag, start):
        if tag in _PARAGRAPHS:
            self.parts.append("\n\n")
        elif tag in _LINES and start:
            self.parts.append("\n")


_HTML_SPACES = re.compile(r"[ \t\n\r\f]+")  # HTML white space; a no-break space is text
_BLANK_LINES = re.compile(r"\n{3,}")


def html_to_text(markup: str) -> str:
    """The readable text of an HTML page: no markup, no scripts or styles, entities decoded, paragraphs kept
    as blank-line-separated blocks, runs of spaces collapsed as a browser would."""
    parser = _TextParser()
    parser.feed(markup)
    parser.close()
    text = "".join(parser.parts)
    lines = (line.strip(" ") for line in text.split("\n"))
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


_TAG = re.compile(r"</?(?:html|body|head|p|div|span|a|br|script|style|img|h[1-6]|ul|ol|li|table|meta|!doctype)\b",
                  re.IGNORECASE)


def looks_like_html(text: str) -> bool:
    """Whether pasted text contains HTML tags (a page's source rather than its text)."""
    return len(_TAG.findall(text[:MAX_CHARS])) >= 3


# -- Language -----------------------------------------------------------------------------------------------------

# Frequent English function words: 15-50 % of the words of English news (PTC: lowest article 15 %, median 37 %) and
# under 3 % of the other languages measured (docs/decisions/input-limits.md). Words just as common in another
# Latin-script language ("a", "in", "die", "de", "do", "no", "as") are left out.
ENGLISH_FUNCTION_WORDS = frozenset(
    """the and of to is that for it was with on are be by this have from or an not but they his her she he
    we you their has had were which been will would there who what when its our your them can also than
    into more about after said could other these those if so just only over such most very out up all
    any some should may must does did being how why where while because before between through during""".split()
)
_LETTERS = re.compile(r"[^\W\d_]+")
MIN_WORDS_FOR_LANGUAGE = 20
MIN_ENGLISH_SHARE = 0.06


def english_share(text: str) -> float:
    """The share of the words of `text` that are common English function words (0 when it has no words)."""
    words = _LETTERS.findall(text[:MAX_CHARS].lower())
    return sum(1 for w in words if w in ENGLISH_FUNCTION_WORDS) / len(words) if words else 0.0


def language_warning(text: str) -> str | None:
    """A warning for the user when `text` does not look like English, else None (too short to tell: None)."""
    words = _LETTERS.findall(text[:MAX_CHARS])
    letters = "".join(words)
    if len(letters) < 4 * MIN_WORDS_FOR_LANGUAGE:
        return None
    latin = sum(1 for c in letters if "LATIN" in unicodedata.name(c, ""))
    if latin < len(letters) / 2 or (len(words) >= MIN_WORDS_FOR_LANGUAGE and english_share(text) < MIN_ENGLISH_SHARE):
        return ("This text does not look like English. Slant's model was trained on English news only, "
                "so its labels on other languages are not meaningful.")
    return None


# -- What the app calls -------------------------------------------------------------------------------------------


def prepare_pasted(text: str, max_chars: int = MAX_CHARS) -> tuple[str, list[str]]:
    """Pasted text cleaned for labelling, and warnings to show beside the result; InputError if it cannot be used."""
    cleaned = clean_text(text)
    if text.strip() and not cleaned.strip():
        raise InputError("it contains no readable text, only control characters")
    text = check_length(cleaned, max_chars)
    warnings = []
    if looks_like_html(text):
        warnings.append("This looks like HTML markup (the source of a web page). Slant labels it as plain text; "
                        "to label only the page's words, save the page as an .html file and upload it.")
    if warning := language_warning(text):
        warnings.append(warning)
    return text, warnings


def prepare_upload(name: str, data: bytes, max_chars: int = MAX_CHARS) -> tuple[str, list[str]]:
    """An uploaded file's text (HTML files reduced to their words), cleaned, and warnings; InputError if unusable."""
    text = decode_bytes(data, max_chars=len(data))  # HTML shrinks: the cap applies to the text, below
    if name.lower().endswith(HTML_SUFFIXES):
        text = html_to_text(text)
        if not text:
            raise InputError("this HTML file has no readable text")
        text, warnings = check_length(clean_text(text), max_chars), []
        if warning := language_warning(text):
            warnings.append(warning)
        return text, warnings
    return prepare_pasted(text, max_chars)
