"""Bad input, in the app (AppTest) and on the command line: each gets a clear message or a correct result, never a
crash, and never costs the results of good input beside it."""
import codecs
import html
import json
import re
import subprocess
import sys

import pytest
from streamlit.testing.v1 import AppTest

from model.paths import PROJECT_ROOT, SEEDS_DIR
from model.techniques import TITLES
from model.textio import CLI_MAX_CHARS, MAX_CHARS, clean_text
from tests.language_samples import NOT_ENGLISH

APP = str(PROJECT_ROOT / "app.py")
ARTICLE = (SEEDS_DIR / "002_c70691d1e71aca73.txt").read_text(encoding="utf-8")
PAGE = ("<!DOCTYPE html><html><head><title>t</title><script>alert(1)</script></head><body><h1>Minister quits</h1>"
        "<p>The so-called reform was a <b>disaster</b>, critics said.</p></body></html>")
FIVE_MB = ("The minister said the plan was a disgrace. " * 120_000)[:5_000_000]


@pytest.fixture(scope="module")
def at():
    """One app session on the Analyse page, used by every test in turn, as one user trying everything."""
    at = AppTest.from_file(APP, default_timeout=120).run()
    at.switch_page("views/analyse.py").run()
    assert not at.exception, at.exception
    return at


def shown_text(at) -> str | None:
    """The highlighted text on the page, tags removed and entities decoded (None if there is none)."""
    fragments = [m.value for m in at.markdown if m.value.startswith('<div class="slant-text')]
    assert len(fragments) <= 1
    return html.unescape(re.sub(r"<[^>]*>", "", fragments[0])) if fragments else None


def paste(at, text: str):
    at.file_uploader(key="upload").clear()
    at.text_area(key="article").input(text)
    at.button(key="analyse").click().run()
    assert not at.exception, at.exception
    return at


def upload(at, name: str, data: bytes):
    at.file_uploader(key="upload").upload(name, data, "text/plain")
    at.button(key="analyse").click().run()
    assert not at.exception, at.exception
    at.file_uploader(key="upload").clear()
    return at


def messages(elements) -> str:
    return " | ".join(e.value for e in elements)


@pytest.mark.parametrize("text, error", [
    ("   \n\t\u00a0 ", "contains only white space"),
    ("x" * (MAX_CHARS + 1), f"at most {MAX_CHARS:,} characters"),
    (FIVE_MB, "5,000,000 characters long"),
    ("\x00\x01\x02\x03\x1b", "no readable text, only control characters"),
])
def test_unusable_pasted_text_gets_a_clear_error_and_no_result(at, text, error):
    paste(at, text)
    assert error in messages(at.error)
    assert shown_text(at) is None


def test_empty_text_gets_a_hint_not_an_error(at):
    paste(at, "")
    assert at.error == [] and "Paste an article" in messages(at.info)


@pytest.mark.parametrize("name, text", [
    ("no spaces", "a" * MAX_CHARS),
    ("emoji", "Crowds cheered 🎉🇺🇦👩‍👩‍👧 as the puppet regime fell. " * 20),
    ("right to left", "The minister said שלום and السلام عليكم at the so-called summit. " * 20),
    ("combining marks", "The cafe\u0301 owner called them thugs; Zo\u0308e agreed. " * 20),
    ("control characters", "The gang\x07 of\x1b[31m thugs\r\nlooted the town.\x0c " * 20),
    ("the seed article", ARTICLE),
])
def test_odd_but_usable_text_is_labelled_and_shown_exactly(at, name, text):
    paste(at, text)
    assert at.error == [], messages(at.error)
    assert shown_text(at) == clean_text(text)


def test_pasted_html_is_shown_as_text_with_a_warning(at):
    paste(at, PAGE)
    assert "HTML" in messages(at.warning)
    assert shown_text(at) == PAGE


@pytest.mark.parametrize("language", ["french", "russian", "chinese"])
def test_another_language_is_labelled_with_a_warning(at, language):
    paste(at, NOT_ENGLISH[language] + " " + NOT_ENGLISH[language])
    assert "does not look like English" in messages(at.warning)
    assert shown_text(at) is not None


@pytest.mark.parametrize("name, data, error", [
    ("photo.txt", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8, "binary file"),
    ("latin1.txt", "Caf\u00e9 owners called the minister na\u00efve.".encode("latin-1"), "not UTF-8"),
    ("empty.txt", b"", "empty"),
    ("blank.html", b"<html><style>p{}</style><script>x()</script></html>", "no readable text"),
])
def test_an_unusable_upload_gets_a_clear_error_naming_the_file(at, name, data, error):
    upload(at, name, data)
    shown = re.sub(r"\\(.)", r"\1", messages(at.error))  # as displayed: Markdown escapes removed
    assert f"Cannot analyse {name}: " in shown and error in shown
    assert shown_text(at) is None


def test_an_uploaded_html_file_is_labelled_as_its_text(at):
    upload(at, "page.html", PAGE.encode("utf-8"))
    assert at.error == []
    assert shown_text(at) == "Minister quits\n\nThe so-called reform was a disaster, critics said."


def test_an_uploaded_utf16_file_is_read(at):
    upload(at, "word-export.txt", codecs.BOM_UTF16_LE + ARTICLE.encode("utf-16-le"))
    assert at.error == []
    assert shown_text(at) == ARTICLE


def test_the_downloads_of_a_crlf_file_index_the_file_as_the_command_line_does(at, tmp_path):
    data = ARTICLE.replace("\n", "\r\n").encode("utf-8")
    at.file_uploader(key="upload").upload("windows.txt", data, "text/plain")
    at.button(key="analyse").click().run()
    assert not at.exception and at.error == []
    table = at.dataframe[-1].value
    at.file_uploader(key="upload").clear()
    (tmp_path / "windows.txt").write_bytes(data)
    run = subprocess.run([sys.executable, "-m", "model", "label", str(tmp_path / "windows.txt")], cwd=PROJECT_ROOT,
                         capture_output=True, text=True, timeout=120)
    cli = json.loads(run.stdout)["spans"]
    assert len(table) == len(cli) > 0
    assert list(zip(table["start"], table["end"], table["technique"], strict=True)) == [
        (s["start"], s["end"], TITLES[s["technique"]]) for s in cli]  # the page names the techniques
    raw = data.decode("utf-8")
    assert all(raw[a:b] == t for a, b, t in zip(table["start"], table["end"], table["text"], strict=True))


def test_the_text_or_file_changed_last_is_analysed_and_the_page_says_so(at):
    at.file_uploader(key="upload").upload("photo.txt", bytes(range(256)) * 4, "text/plain").run()
    assert any("photo.txt" in e.value for e in at.error)
    at.text_area(key="article").input("The brutal regime's thugs crushed the protest.").run()
    assert at.error == [] and "brutal regime" in shown_text(at)
    assert any("the one you changed last, the pasted text" in c.value for c in at.caption)
    at.file_uploader(key="upload").upload("page.html", PAGE.encode("utf-8"), "text/html").run()
    assert shown_text(at).startswith("Minister quits")
    assert any("the one you changed last, the file" in c.value for c in at.caption)
    at.file_uploader(key="upload").clear()
    at.text_area(key="article").input("").run()


def test_bad_input_does_not_cost_the_articles_already_in_the_comparison(at):
    at.text_input(key="title").input("Kept article")
    paste(at, ARTICLE)
    at.button(key="add_to_comparison").click().run()
    at.text_input(key="title").input("")
    paste(at, FIVE_MB)
    upload(at, "photo.txt", bytes(range(256)) * 4)
    paste(at, "   ")
    assert at.error
    at.switch_page("views/compare.py").run()
    assert not at.exception
    assert "Kept article" in at.multiselect(key="compare_sources").options
    at.switch_page("views/analyse.py").run()


# -- the command line ---------------------------------------------------------------------------------------------


def test_bad_files_beside_good_ones_on_the_command_line(tmp_path):
    files = {
        "good1.txt": ARTICLE.encode("utf-8"),
        "binary.txt": b"\x7fELF\x02\x01\x01" + bytes(300),
        "latin1.txt": "Caf\u00e9 na\u00efve".encode("latin-1"),
        "empty.txt": b"",
        "huge.txt": b"word " * (CLI_MAX_CHARS // 5 + 1) + b"caf\xe9",  # read in pieces; bad at its very end
        "good2.txt": codecs.BOM_UTF8 + "The so-called experts are puppets.".encode("utf-8"),
    }
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    paths = [str(tmp_path / name) for name in files] + [str(tmp_path / "missing.txt"), str(tmp_path)]
    run = subprocess.run([sys.executable, "-m", "model", "label", *paths], cwd=PROJECT_ROOT, capture_output=True,
                         text=True, timeout=300)
    assert run.returncode == 1
    results = [json.loads(line) for line in run.stdout.splitlines()]
    assert [r["source"] for r in results] == [str(tmp_path / "good1.txt"), str(tmp_path / "good2.txt")]
    assert all(ARTICLE[s["start"]:s["end"]] == s["text"] for s in results[0]["spans"])
    errors = run.stderr.splitlines()
    for name, reason in [("binary.txt", "binary"), ("latin1.txt", "not UTF-8"), ("empty.txt", "empty"),
                         ("huge.txt", f"position {CLI_MAX_CHARS + 8:,}"), ("missing.txt", "no such file")]:
        assert any(line.startswith(str(tmp_path / name)) and reason in line for line in errors), (name, errors)
    assert any(line.startswith(f"{tmp_path}: ") and "directory" in line for line in errors), errors
    assert "Traceback" not in run.stderr
