"""Turn bytes into text by detecting the encoding, never by assuming it.

Medical articles arrive as UTF-8, UTF-16 from Windows tools, GB18030/GBK from mainland
Chinese sites, Big5 from Taiwan and Hong Kong, and Windows-1252 from older European pages.
The order of the checks follows how much each one can be trusted: a byte-order mark is
certain; strict UTF-8 almost never succeeds by accident on non-ASCII bytes; a declared
charset (HTTP header, <meta>) is often right but sometimes stale; only then do we guess,
by decoding with each legacy candidate and keeping the one whose characters look most like
real French, English or Chinese text (charset-normalizer alone confuses Big5 with Shift-JIS
and Windows-1252 with Windows-1250 on short inputs).

A file is not always in ONE encoding: concatenating a UTF-8 export with an old Windows-1252
one gives a UTF-8 head and a cp1252 tail. Decoding it all as cp1252 turns the head into
mojibake ("premiÃ¨re"), so when strict UTF-8 fails we look line by line: lines that are valid
UTF-8 and read better as UTF-8 stay UTF-8, the rest get the legacy encoding that best fits
them, and the provenance says both ("utf-8+cp1252").
"""

from __future__ import annotations

import codecs
import functools
import unicodedata
from dataclasses import dataclass

from charset_normalizer import from_bytes

from litkit.errors import SourceError

BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),  # before UTF-16 LE: its BOM starts the same way
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# Order matters: on a tie the earlier wins. BOM-less UTF-16 comes last: only Chinese text
# without any ASCII reaches it (ASCII-range UTF-16 is recognised by its NUL bytes first).
LEGACY_CANDIDATES = ("gb18030", "big5", "cp1252", "utf-16-le", "utf-16-be")
MIN_PLAUSIBILITY = 0.6
SAMPLE_BYTES = 64 * 1024  # enough to judge an encoding, small enough to stay fast on 50 MB
LATIN_PUNCTUATION = frozenset("‘’‚“”„–—…•€«»°±µ·\u00a0²³¹¼½¾§¶©®™†‡‰‹›")


@dataclass(frozen=True)
class Decoded:
    """Decoded text and the name of the encoding it was decoded from (for provenance)."""

    text: str
    encoding: str


def decode(data: bytes, locator: str, declared: str | None = None) -> Decoded:
    """Decode `data`, detecting its encoding; raise SourceError when no encoding fits."""
    for bom, encoding in BOMS:
        if data.startswith(bom):
            return _strict(data[len(bom) :], encoding, locator)
    bomless_utf16 = _bomless_utf16(data)
    if bomless_utf16:
        return _strict(data, bomless_utf16, locator)
    utf8 = _utf8(data)
    if utf8 is not None:
        return Decoded(utf8, "utf-8")
    mixed = _mixed_utf8_and_legacy(data, declared)
    if mixed is not None:
        return mixed
    if declared:
        declared_text = _try(data, declared)
        if declared_text is not None:
            return Decoded(declared_text, _canonical(declared))
    guessed = guess_legacy_encoding(data)
    if guessed is None:
        raise SourceError(
            locator,
            "cannot determine the text encoding (not UTF-8, UTF-16, GB18030, Big5 or Windows-1252)",
        )
    return Decoded(data.decode(guessed), guessed)


def guess_legacy_encoding(data: bytes) -> str | None:
    """The legacy encoding whose decoding of `data` looks most like real text, or None."""
    sample = _sample(data)
    best, best_score = None, 0.0
    for encoding in LEGACY_CANDIDATES:
        if _try(data, encoding) is None:
            continue
        score = plausibility(sample.decode(encoding, errors="ignore"))
        if score > best_score:  # strict >: earlier candidates win ties
            best, best_score = encoding, score
    if best is not None and best_score >= MIN_PLAUSIBILITY:
        return best
    match = from_bytes(sample).best()
    if match is not None and _try(data, match.encoding) is not None:
        return _canonical(match.encoding)
    return best


def _mixed_utf8_and_legacy(data: bytes, declared: str | None) -> Decoded | None:
    """UTF-8 lines kept as UTF-8 and the other lines decoded as one legacy encoding, or None.

    None (so the whole file is decoded as one encoding, as before) unless some non-ASCII line
    is valid UTF-8 and is judged UTF-8 by `_reads_better_as_utf8`. Lines are split on b"\\n",
    which is the newline byte in every candidate here (UTF-16 was ruled out before).
    """
    lines = data.split(b"\n")
    utf8_lines: dict[int, str] = {}
    legacy_lines: list[int] = []
    for index, line in enumerate(lines):
        if line.isascii():
            continue
        text = _try(line, "utf-8")
        if text is None:
            legacy_lines.append(index)
        else:
            utf8_lines[index] = text
    if not utf8_lines or not legacy_lines:
        return None
    legacy_bytes = b"\n".join(lines[i] for i in legacy_lines)
    legacy = None
    if declared and _try(legacy_bytes, declared) is not None:
        legacy = _canonical(declared)
    if legacy is None or legacy == "utf-8":
        legacy = guess_legacy_encoding(legacy_bytes)
    if legacy is None or legacy.startswith(("utf-16", "utf-32", "utf-8")):
        return None
    kept = {
        i: text for i, text in utf8_lines.items() if _reads_better_as_utf8(text, lines[i], legacy)
    }
    if not kept:
        return None
    try:  # a valid-UTF-8 line that `legacy` cannot decode was kept as UTF-8 above
        text = "\n".join(
            kept[i] if i in kept else line.decode(legacy) for i, line in enumerate(lines)
        )
    except UnicodeDecodeError:
        return None
    return Decoded(text, f"utf-8+{legacy}")


# Multi-byte legacy codecs, whose text CAN be valid UTF-8 by accident (Python codec names).
CJK_CODECS = frozenset(
    {"gb18030", "gbk", "gb2312", "big5", "big5hkscs", "cp950", "shift_jis", "cp932", "euc_jp",
     "euc_kr", "cp949", "johab"}
)  # fmt: skip
LINE_SAMPLE_CHARS = 4096  # judging a line by its head keeps the check linear and fast


def _reads_better_as_utf8(utf8_text: str, line: bytes, legacy: str) -> bool:
    """Whether a line that is valid UTF-8 was written in UTF-8 rather than in `legacy`.

    Single-byte text (Windows-1252, Latin-1) is valid UTF-8 only when it already is mojibake
    ("Ã©"), so such a line is UTF-8. A CJK codec's text is valid UTF-8 by accident now and
    then ("摘要" in GBK is the UTF-8 of Armenian+Cyrillic "ժҪ"), so there the line stays UTF-8
    only if it reads as plausible text and better than it reads in `legacy`.
    """
    if legacy not in CJK_CODECS:
        return True  # single-byte text is valid UTF-8 only as mojibake ("Ã©"): never by chance
    legacy_text = _try(line, legacy)
    if legacy_text is None:
        return True
    utf8_score = plausibility(utf8_text[:LINE_SAMPLE_CHARS])
    if utf8_score < MIN_PLAUSIBILITY:
        return False
    return utf8_score > plausibility(legacy_text[:LINE_SAMPLE_CHARS])


def plausibility(text: str) -> float:
    """Share of non-ASCII characters that real French, English or Chinese text would use.

    Common Chinese characters (GB2312 level 1, Big5 level 1) count; rare ones do not, which
    is what a wrong CJK codec produces. Accented Latin letters count only in short runs
    inside ASCII words: a CJK text decoded as Windows-1252 yields long runs of them.
    """
    common = _common_hanzi()
    total = score = 0.0
    run_start = None
    runs: list[tuple[int, int]] = []
    for index, char in enumerate(text):
        if ord(char) >= 128:
            if run_start is None:
                run_start = index
        elif run_start is not None:
            runs.append((run_start, index))
            run_start = None
    if run_start is not None:
        runs.append((run_start, len(text)))
    controls = sum(1 for char in text if ord(char) < 32 and char not in "\t\n\r\f")
    total += controls  # a wrong codec turns bytes into C0 controls; they score nothing
    for start, end in runs:
        for char in text[start:end]:
            total += 1
            score += _char_score(char, common, short_run=end - start <= 3)
    return score / total if total else 1.0


def _char_score(char: str, common: frozenset[str], short_run: bool) -> float:
    code = ord(char)
    if 0x4E00 <= code <= 0x9FFF:
        return 1.0 if char in common else 0.0
    if 0x3000 <= code <= 0x303F or 0xFF01 <= code <= 0xFF5E:
        return 1.0
    if char in LATIN_PUNCTUATION or unicodedata.name(char, "").startswith(("LATIN", "GREEK")):
        return 1.0 if short_run else 0.0
    if unicodedata.category(char).startswith("C"):
        return 0.0
    return 0.25 if char.isalpha() else 0.0


@functools.cache
def _common_hanzi() -> frozenset[str]:
    """GB2312 level-1 and Big5 level-1 characters: the everyday hanzi of each standard."""
    chars: set[str] = set()
    for lead in range(0xB0, 0xD8):
        for trail in range(0xA1, 0xFF):
            chars.update(bytes((lead, trail)).decode("gb2312", errors="ignore"))
    for lead in range(0xA4, 0xC7):
        for trail in [*range(0x40, 0x7F), *range(0xA1, 0xFF)]:
            chars.update(bytes((lead, trail)).decode("big5", errors="ignore"))
    return frozenset(c for c in chars if 0x4E00 <= ord(c) <= 0x9FFF)


def _bomless_utf16(data: bytes) -> str | None:
    """UTF-16 without a BOM, recognised by the NUL byte of every ASCII character.

    Only text that is mostly ASCII-range (English, French, markup) can be recognised this way
    reliably; BOM-less UTF-16 Chinese has no such signature and is left to the other checks.
    """
    sample = data[:4096]
    if len(sample) < 8 or len(sample) % 2:
        return None
    even_nuls = sample[0::2].count(0)
    odd_nuls = sample[1::2].count(0)
    half = len(sample) // 2
    if odd_nuls >= 0.7 * half and even_nuls <= 0.05 * half:
        return "utf-16-le"
    if even_nuls >= 0.7 * half and odd_nuls <= 0.05 * half:
        return "utf-16-be"
    return None


def _utf8(data: bytes) -> str | None:
    """Strict UTF-8, forgiving only a character cut in half at the very end (truncated file)."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        if error.reason == "unexpected end of data" and error.start >= len(data) - 3:
            return data[: error.start].decode("utf-8")
        return None


def _strict(data: bytes, encoding: str, locator: str) -> Decoded:
    text = _try(data, encoding)
    if text is None:
        raise SourceError(locator, f"invalid {encoding.upper()} data (cannot be decoded)")
    return Decoded(text, encoding)


def _try(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None


def _sample(data: bytes) -> bytes:
    return data[:SAMPLE_BYTES]


def _canonical(encoding: str) -> str:
    """Python's codec name for an encoding label (`GBK`, `x-gbk`, `gb2312` stay distinct)."""
    try:
        return codecs.lookup(encoding).name
    except LookupError:
        return encoding.lower()


def declared_charset(content_type: str | None) -> str | None:
    """The `charset=` parameter of a Content-Type (`text/html; charset="ISO-8859-1"`), lower
    case, or None: the one parser for HTTP headers and the media types of stdin and files."""
    for parameter in (content_type or "").split(";")[1:]:
        key, _, value = parameter.partition("=")
        if key.strip().lower() == "charset" and value.strip():
            return value.strip().strip("\"'").lower()
    return None
