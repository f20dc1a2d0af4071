"""Decoding text files safely: which encoding, and which characters are never stored.

Every text reader (CSV, JSONL, TXT documents, the mapping file) chooses its encoding
here: a byte order mark (BOM) decides (UTF-8, UTF-16 LE/BE, UTF-32 LE/BE); a UTF-16 file
without a BOM is recognised by its NUL bytes in every other position; otherwise UTF-8 if
the start decodes as UTF-8, else Windows-1252.

Control characters (C0 except tab, line feed, carriage return, form feed and vertical tab,
which ``normalise_text`` turns into line feeds; DEL and C1) and lone surrogates are never
stored: they break the database (PostgreSQL refuses NUL), hide
identifiers from pseudonymisation, and are almost always the sign of a wrong encoding.
``forbidden_character`` finds the first one with a single precompiled regex search.
"""

from __future__ import annotations

import codecs
import re
import unicodedata

#: BOMs in the order they must be tested (UTF-32 LE starts with the UTF-16 LE BOM).
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_UTF16_PROBE = 4096

#: Characters that are never stored (see the module docstring).
FORBIDDEN_CHARACTERS = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f\ud800-\udfff]")

_SEARCH = FORBIDDEN_CHARACTERS.search
#: Every byte (Latin-1 character) that may be stored, for ``bytes.translate(None, ...)``.
_STORABLE_LATIN1 = bytes(b for b in range(256) if not FORBIDDEN_CHARACTERS.match(chr(b)))
_SHORT = 64

_CONTROL_NAMES = {0x00: "NUL", 0x08: "backspace", 0x0B: "lodret tabulator",
                  0x0C: "sideskift", 0x1A: "Ctrl-Z", 0x1B: "escape", 0x7F: "DEL"}

#: How other file formats begin, to tell the user what a mislabelled file really is.
_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"PK\x03\x04", "et ZIP-arkiv (fx et regneark .xlsx eller et Word-dokument .docx)"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
     "et ældre Office-dokument (.xls/.doc) eller et Office-dokument med adgangskode"),
    (b"%PDF-", "en PDF-fil"),
    (b"\x1f\x8b", "en gzip-komprimeret fil"),
    (b"\x89PNG", "et billede (PNG)"),
    (b"\xff\xd8\xff", "et billede (JPEG)"),
)


def bom_encoding(sample: bytes) -> str | None:
    """The encoding a BOM at the start of ``sample`` names, or None without a BOM."""
    for bom, encoding in _BOMS:
        if sample.startswith(bom):
            return encoding
    return None


def _utf16_without_bom(sample: bytes) -> str | None:
    head = sample[:_UTF16_PROBE]
    if len(head) < 4:
        return None
    even, odd = head[0::2], head[1::2]
    nul_even, nul_odd = even.count(0), odd.count(0)
    if nul_odd * 10 > len(odd) * 3 and nul_even * 20 < len(even):
        return "utf-16-le"
    if nul_even * 10 > len(even) * 3 and nul_odd * 20 < len(odd):
        return "utf-16-be"
    return None


def detect_encoding(sample: bytes) -> str:
    """The encoding of a text file from its first bytes.

    A BOM decides; NUL bytes in every other position mean UTF-16 without BOM; then
    'utf-8' if the sample decodes as UTF-8, else 'cp1252'.
    """
    encoding = bom_encoding(sample) or _utf16_without_bom(sample)
    if encoding:
        return encoding
    try:
        codecs.getincrementaldecoder("utf-8")().decode(sample, final=False)
    except UnicodeDecodeError:
        return "cp1252"
    return "utf-8"


def choose_encoding(sample: bytes, declared: str | None) -> str:
    """The encoding to read with: a BOM wins over a declared encoding, which wins over a guess."""
    return bom_encoding(sample) or declared or detect_encoding(sample)


def splits_on_newline_bytes(encoding: str) -> bool:
    """True if lines can be split on the byte b'\\n' before decoding (not UTF-16/32)."""
    name = codecs.lookup(encoding).name
    return name in ("utf-8", "utf-8-sig") or "\n".encode(encoding) == b"\n"


def binary_format(head: bytes) -> str | None:
    """What a file that should be text really is ('en PDF-fil', ...), from its first bytes."""
    for signature, description in _SIGNATURES:
        if head.startswith(signature):
            return description
    return None


def not_text_message(what: str) -> str:
    """The Danish problem for a text file that is really ``what`` (see ``binary_format``)."""
    return (f"filen er ikke en tekstfil, men {what}; gem den i det rigtige format, eller "
            "giv den den rigtige filendelse")


def describe_character(character: str) -> str:
    """A forbidden character as the user is told about it: code point and name."""
    code = ord(character)
    if 0xD800 <= code <= 0xDFFF:
        return f"U+{code:04X} (et ugyldigt, enligt surrogattegn)"
    name = _CONTROL_NAMES.get(code) or unicodedata.name(character, "kontroltegn")
    return f"U+{code:04X} ({name})"


def is_storable(text: str) -> bool:
    """True if ``text`` holds no forbidden character (the fast check of every field value).

    Short values get the regex; long ones in the Latin-1 range (most Danish text) are
    encoded (a copy) and every storable byte deleted with a table, which is several times
    faster than the regex; anything else (e.g. '–' or '€' in it) falls back to the regex.
    """
    if len(text) < _SHORT:
        return _SEARCH(text) is None
    latin1 = text.encode("latin-1", "ignore")
    if len(latin1) == len(text):
        return not latin1.translate(None, _STORABLE_LATIN1)
    return _SEARCH(text) is None


def forbidden_character(text: str) -> str | None:
    """None if ``text`` may be stored; else a Danish description of the first bad character.

    The description names the character and its position, never the text around it (the
    text may identify a person).
    """
    match = FORBIDDEN_CHARACTERS.search(text)
    if match is None:
        return None
    return f"{describe_character(match.group())} ved tegn nr. {match.start() + 1}"


def forbidden_character_problem(description: str) -> str:
    """The Danish problem message for a field that holds a forbidden character."""
    return (f"feltet indeholder {description}, som ikke kan gemmes; filen er måske gemt i et "
            "andet tegnsæt (fx UTF-16 uden BOM) eller er beskadiget – ret eller fjern tegnet "
            "i kilden")


def printable(name: str) -> str:
    """A file name as it may be shown and stored: forbidden characters become '\ufffd'.

    Linux file names may hold control characters, and names that are not valid UTF-8 reach
    Python as lone surrogates; neither can be printed or stored.
    """
    return FORBIDDEN_CHARACTERS.sub("\ufffd", name)
