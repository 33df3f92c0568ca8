"""Turning what a user gives (a path, bytes, pasted text) into text the tagger can read, or a clear reason why not."""
from pathlib import Path


class InputError(ValueError):
    """An input that cannot be labelled; the message is meant for the user."""


def decode_bytes(data: bytes) -> str:
    if not data.strip():
        raise InputError("it is empty")
    if b"\x00" in data:
        raise InputError("it looks like a binary file, not text")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        raise InputError(f"it is not UTF-8 text (undecodable byte at position {err.start})") from None
    if not text.strip():
        raise InputError("it contains only white space")
    return text


def read_text_file(path: str | Path) -> str:
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError:
        raise InputError("no such file") from None
    except IsADirectoryError:
        raise InputError("it is a directory") from None
    except OSError as err:
        raise InputError(f"cannot read it ({err.strerror})") from None
    return decode_bytes(data)
