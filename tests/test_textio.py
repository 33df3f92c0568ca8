import codecs
from pathlib import Path

import pytest

from model.paths import PTC_DIR, SEEDS_DIR
from model.textio import (
    CLI_MAX_CHARS,
    MAX_CHARS,
    InputError,
    check_length,
    clean_text,
    decode_bytes,
    html_to_text,
    language_warning,
    looks_like_html,
    prepare_pasted,
    prepare_upload,
    read_text_file,
)
from tests.language_samples import ENGLISH, NOT_ENGLISH

ARTICLE = "The minister said the plan was “a disgrace”.\nCritics called it reckless.\n"


# -- encodings ----------------------------------------------------------------------------------------------------

def test_utf8_is_read_as_is():
    assert decode_bytes(ARTICLE.encode("utf-8")) == ARTICLE


def test_a_utf8_byte_order_mark_is_not_part_of_the_text():
    assert decode_bytes(codecs.BOM_UTF8 + ARTICLE.encode("utf-8")) == ARTICLE


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_with_a_byte_order_mark_is_read(encoding):
    bom = {"utf-16": b"", "utf-16-le": codecs.BOM_UTF16_LE, "utf-16-be": codecs.BOM_UTF16_BE}[encoding]
    assert decode_bytes(bom + ARTICLE.encode(encoding)) == ARTICLE


def test_latin1_is_refused_with_how_to_fix_it():
    with pytest.raises(InputError, match="not UTF-8.*save it as UTF-8"):
        decode_bytes("Café society and the naïve minister’s plan".encode("latin-1", errors="replace"))


def test_utf16_without_a_byte_order_mark_is_refused_as_binary():
    with pytest.raises(InputError, match="binary"):
        decode_bytes(ARTICLE.encode("utf-16-le"))


def test_a_broken_utf16_file_is_refused():
    with pytest.raises(InputError, match="UTF-16"):
        decode_bytes(codecs.BOM_UTF16_LE + b"a\x00\x00\xd8")  # an unpaired surrogate


@pytest.mark.parametrize("data", [
    bytes(range(256)) * 4,  # every byte value
    b"\x89PNG\r\n\x1a\n" + bytes(200),  # a PNG header
    b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n" + bytes(50),
    bytes([1, 2, 3, 4, 5, 6, 7, 8, 14, 15, 16, 17]) * 20,  # control characters that are valid UTF-8, no NUL
])
def test_binary_files_are_refused(data):
    with pytest.raises(InputError, match="binary|not UTF-8"):
        decode_bytes(data)


def test_white_space_only_utf16_is_refused():
    with pytest.raises(InputError, match="white space"):
        decode_bytes(codecs.BOM_UTF16_LE + " \n\t ".encode("utf-16-le"))


def test_read_text_file_refuses_a_directory(tmp_path):
    with pytest.raises(InputError, match="directory"):
        read_text_file(tmp_path)


# -- size ---------------------------------------------------------------------------------------------------------

def test_the_caps_are_ordered_and_fit_a_long_article():
    longest_seed = max(len(p.read_text(encoding="utf-8")) for p in SEEDS_DIR.glob("*.txt"))
    assert 5 * longest_seed < MAX_CHARS < CLI_MAX_CHARS


def test_text_at_the_cap_is_accepted_and_one_more_character_is_refused_with_the_figures():
    assert check_length("a" * MAX_CHARS) == "a" * MAX_CHARS
    with pytest.raises(InputError, match=f"{MAX_CHARS + 1:,} characters.*at most {MAX_CHARS:,}"):
        check_length("a" * (MAX_CHARS + 1))


def test_files_longer_than_the_command_line_cap_are_refused(tmp_path):
    path = tmp_path / "long.txt"
    path.write_bytes(b"a" * (CLI_MAX_CHARS + 1))
    with pytest.raises(InputError, match=f"at most {CLI_MAX_CHARS:,}"):
        read_text_file(path)
    path.write_bytes(b"a" * (4 * CLI_MAX_CHARS + 5))
    with pytest.raises(InputError, match="MB"):
        read_text_file(path)
    path.write_bytes(b"a" * CLI_MAX_CHARS)
    assert len(read_text_file(path)) == CLI_MAX_CHARS


@pytest.mark.parametrize("text, reason", [("", "empty"), ("   \n\t\u00a0", "white space")])
def test_empty_text_is_refused(text, reason):
    with pytest.raises(InputError, match=reason):
        check_length(text)


# -- cleaning -----------------------------------------------------------------------------------------------------

def test_clean_text_removes_controls_but_keeps_tabs_newlines_and_every_other_character():
    raw = "a\x00b\x07c\td\r\ne\rf\x1b[31mg\x85h é 🙂 שלום e\u0301 \u202eX"
    assert clean_text(raw) == "abc\td\ne\nf[31mgh é 🙂 שלום e\u0301 \u202eX"


def test_text_of_control_characters_only_is_refused():
    with pytest.raises(InputError, match="only control characters"):
        prepare_pasted("\x00\x07\x1b \x7f")


def test_clean_text_leaves_ordinary_text_alone():
    assert clean_text(ARTICLE) == ARTICLE


# -- HTML ---------------------------------------------------------------------------------------------------------

PAGE = """<!DOCTYPE html><html><head><title>Ignored</title><style>p{color:red}</style>
<script>alert("x")</script></head>
<body><h1>Markets   fall</h1><p>Oil &amp; gas
 prices <b>jumped</b> on&nbsp;Monday.</p><script type="module">document.write('no')</script>
<p>Analysts said &ldquo;panic&rdquo; was<br>overdone.</p><ul><li>One</li><li>Two</li></ul></body></html>"""


def test_html_is_reduced_to_its_words_with_paragraphs():
    assert html_to_text(PAGE) == ("Markets fall\n\nOil & gas prices jumped on\u00a0Monday.\n\n"
                                  "Analysts said “panic” was\noverdone.\n\nOne\nTwo")


def test_html_to_text_survives_broken_markup():
    assert html_to_text("<p>unclosed <b>bold <script>never closed") == "unclosed bold"
    assert html_to_text("<<<>>> a < b && c > d") == "<<<>>> a < b && c > d"


def test_pasted_html_is_recognised_but_prose_with_angle_brackets_is_not():
    assert looks_like_html(PAGE)
    assert not looks_like_html("If a < b and b > c then a < c; 3 <4> 5.")


def test_pasted_html_is_labelled_as_typed_with_a_warning():
    text, warnings = prepare_pasted(PAGE)
    assert text == PAGE
    assert any("HTML" in w for w in warnings)


def test_an_uploaded_html_file_is_reduced_to_its_text():
    text, warnings = prepare_upload("page.HTML", PAGE.encode("utf-8"))
    assert text.startswith("Markets fall") and "<" not in text and "alert" not in text


def test_an_html_file_without_text_is_refused():
    with pytest.raises(InputError, match="no readable text"):
        prepare_upload("empty.html", b"<html><script>var a = 1;</script></html>")


def test_an_uploaded_text_file_is_cleaned_and_checked():
    text, warnings = prepare_upload("a.txt", b"Hello\r\nworld\x07, the end of the story.")
    assert text == "Hello\nworld, the end of the story."
    with pytest.raises(InputError, match="binary"):
        prepare_upload("photo.txt", b"\x89PNG\r\n\x1a\n" + bytes(100))
    with pytest.raises(InputError, match="at most"):
        prepare_upload("big.txt", b"word " * (MAX_CHARS // 5 + 1))


# -- language -----------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("language", sorted(NOT_ENGLISH))
def test_other_languages_get_a_warning(language):
    assert "English" in language_warning(NOT_ENGLISH[language])


@pytest.mark.parametrize("name", sorted(ENGLISH))
def test_hard_english_gets_no_warning(name):
    assert language_warning(ENGLISH[name]) is None


def test_the_seeds_get_no_language_warning():
    for path in SEEDS_DIR.glob("*.txt"):
        assert language_warning(path.read_text(encoding="utf-8")) is None, path.name


@pytest.mark.skipif(not PTC_DIR.is_dir(), reason="needs the PTC corpus in ../shared/ptc")
def test_no_ptc_article_gets_a_language_warning():
    warned = [p.name for p in sorted(Path(PTC_DIR, "train-articles").glob("*.txt"))
              if language_warning(p.read_text(encoding="utf-8"))]
    assert warned == []


def test_too_little_text_to_tell_gets_no_warning():
    assert language_warning("Merci beaucoup!") is None
    assert language_warning("") is None


def test_an_english_article_quoting_another_language_gets_no_warning():
    text = ENGLISH["quoted"] + " She added: “" + NOT_ENGLISH["spanish"][:120] + "”"
    assert language_warning(text) is None
