"""READ stage: resolving locators, detecting encodings, refusing binaries, parsing HTML/text."""

from __future__ import annotations

import contextlib
import io
import os
import socket
import threading
from pathlib import Path

import pytest

from litkit.clean import clean
from litkit.errors import SourceError
from litkit.models import ParsedText, RawSource
from litkit.sources import READERS, SCHEMES, ensure_loaded, files, read, resolve
from litkit.sources.encoding import Decoded, decode
from litkit.sources.html import read_html
from litkit.sources.sniff import sniff
from litkit.sources.text import markdown_to_text, text_metadata

# The registries fill from the plugin hooks on first use; fill them now so that a test that
# patches one entry patches the filled registry.
ensure_loaded()

FIXTURES = Path(__file__).parent / "fixtures" / "sources"
SEEDS = Path(__file__).parent.parent / "corpora" / "cno"

FRENCH = "L’ostéomyélite chronique récidivante touche l’enfant; fièvre, œdème."
SIMPLIFIED = "慢性非细菌性骨髓炎是一种罕见的儿童炎症性骨病。"
TRADITIONAL = "慢性復發性多灶性骨髓炎是一種罕見疾病,主要影響兒童。"


def _one(raw: RawSource) -> ParsedText:
    [doc] = read(raw)
    assert isinstance(doc, ParsedText), doc
    return doc


def _error(raw: RawSource) -> SourceError:
    [error] = read(raw)
    assert isinstance(error, SourceError), error
    return error


# ------------------------------------------------------------------------ resolve


def test_resolve_file_keeps_locator_and_hints_media_type(tmp_path: Path) -> None:
    path = tmp_path / "a.html"
    path.write_bytes(b"<p>x</p>")
    [raw] = resolve([str(path)])
    assert raw == RawSource(locator=str(path), data=b"<p>x</p>", media_type="text/html")


def test_resolve_missing_path_yields_error_and_goes_on(tmp_path: Path) -> None:
    good = tmp_path / "good.txt"
    good.write_text("text")
    results = list(resolve([str(tmp_path / "nope.txt"), str(good)]))
    assert isinstance(results[0], SourceError)
    assert results[0].reason == "no such file or directory"
    assert isinstance(results[1], RawSource)


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads everything")
def test_resolve_unreadable_file_is_permission_denied(tmp_path: Path) -> None:
    path = tmp_path / "secret.txt"
    path.write_text("x")
    path.chmod(0)
    [error] = resolve([str(path)])
    assert isinstance(error, SourceError) and error.reason == "permission denied"


def test_resolve_directory_sorted_recursive_skips_hidden_and_symlink_loops(tmp_path: Path) -> None:
    (tmp_path / "b.txt").write_text("b")
    (tmp_path / "a.txt").write_text("a")
    (tmp_path / ".hidden.txt").write_text("h")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "config").write_text("g")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "c.md").write_text("c")
    (tmp_path / "sub" / "loop").symlink_to(tmp_path, target_is_directory=True)
    locators = [r.locator for r in resolve([str(tmp_path)])]
    assert locators == [str(tmp_path / n) for n in ("a.txt", "b.txt", "sub/c.md")]
    flat = [r.locator for r in resolve([str(tmp_path)], recursive=False)]
    assert flat == [str(tmp_path / "a.txt"), str(tmp_path / "b.txt")]


def test_resolve_stdin() -> None:
    [raw] = resolve(["-"], stdin=io.BytesIO(b"hello"))
    assert raw == RawSource(locator="-", data=b"hello", media_type=None)


def _resolve_within(locators: list[str], seconds: float = 5.0) -> list:
    """resolve() in a thread, failing (not hanging the suite) if it blocks, e.g. on a FIFO."""
    results: list = []
    worker = threading.Thread(target=lambda: results.extend(resolve(locators)), daemon=True)
    worker.start()
    worker.join(seconds)
    if worker.is_alive():
        for locator in locators:  # unblock a reader stuck opening a FIFO, then fail
            fifo = Path(locator) / "pipe" if Path(locator).is_dir() else Path(locator)
            with contextlib.suppress(OSError):
                os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
        pytest.fail(f"resolve({locators}) blocked for {seconds} s")
    return results


needs_mkfifo = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")


@needs_mkfifo
def test_named_pipe_path_is_refused_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    [error] = _resolve_within([str(fifo)])
    assert isinstance(error, SourceError)
    assert error.reason == "not a regular file (a named pipe)"


@needs_mkfifo
def test_named_pipe_in_a_walked_directory_is_reported_and_the_rest_read(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("a")
    os.mkfifo(tmp_path / "pipe")
    (tmp_path / "z.txt").write_text("z")
    results = _resolve_within([str(tmp_path)])
    assert [(Path(r.locator).name, type(r).__name__) for r in results] == [
        ("a.txt", "RawSource"),
        ("pipe", "SourceError"),
        ("z.txt", "RawSource"),
    ]
    assert results[1].reason == "not a regular file (a named pipe)"


@needs_mkfifo
def test_stdin_is_still_read_when_it_is_a_pipe() -> None:
    read_end, write_end = os.pipe()
    os.write(write_end, b"piped text")
    os.close(write_end)
    with os.fdopen(read_end, "rb") as stdin:
        [raw] = resolve(["-"], stdin=stdin)
    assert raw == RawSource(locator="-", data=b"piped text", media_type=None)


@pytest.mark.skipif(not os.path.exists("/dev/null"), reason="no /dev/null here")
def test_device_is_refused() -> None:
    [error] = _resolve_within(["/dev/null"])
    assert isinstance(error, SourceError) and error.reason == "not a regular file (a device)"


@pytest.mark.skipif(not hasattr(socket, "AF_UNIX"), reason="no Unix sockets here")
def test_socket_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "s.sock"
    with socket.socket(socket.AF_UNIX) as server:
        try:
            server.bind(str(path))
        except OSError as error:  # e.g. a tmp path longer than sun_path allows
            pytest.skip(f"cannot bind a Unix socket: {error}")
        [error] = _resolve_within([str(path)])
    assert isinstance(error, SourceError) and error.reason == "not a regular file (a socket)"


def test_permission_error_on_open_is_reported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The chmod test above is skipped as root; this path runs everywhere."""
    path = tmp_path / "secret.txt"
    path.write_text("x")

    def denied(*args: object, **kwargs: object):
        raise PermissionError(13, "Permission denied", str(path))

    monkeypatch.setattr(files, "open", denied, raising=False)
    results = list(resolve([str(path), "-"], stdin=io.BytesIO(b"ok")))
    assert isinstance(results[0], SourceError) and results[0].reason == "permission denied"
    assert results[1] == RawSource(locator="-", data=b"ok", media_type=None)


@pytest.mark.parametrize(
    ("locator", "reason"),
    [
        ("https://example.org/a", "URL sources are not supported yet"),
        ("http://example.org/a", "URL sources are not supported yet"),
        ("pmid:123", "'pmid:' sources are not supported yet"),
    ],
    ids=["https", "http", "pmid"],
)
def test_unregistered_schemes_are_refused(
    monkeypatch: pytest.MonkeyPatch, locator: str, reason: str
) -> None:
    monkeypatch.setattr(files, "SCHEMES", {})
    [error] = resolve([locator])
    assert isinstance(error, SourceError) and error.reason == reason


def test_registered_scheme_handler_is_used_and_its_errors_do_not_stop_the_batch(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def handler(locator: str):
        if locator.endswith("bad"):
            raise SourceError(locator, "fetch failed")
        yield RawSource(locator=locator, data=b"x")

    monkeypatch.setitem(SCHEMES, "pmid", handler)
    results = list(resolve(["pmid:bad", "pmid:1"]))
    assert isinstance(results[0], SourceError) and results[0].reason == "fetch failed"
    assert results[1] == RawSource(locator="pmid:1", data=b"x")


def test_too_large_file_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(files, "MAX_SOURCE_BYTES", 10)
    path = tmp_path / "big.txt"
    path.write_bytes(b"x" * 11)
    [error] = resolve([str(path)])
    assert isinstance(error, SourceError) and error.reason.startswith("file too large")


def test_default_size_limit_allows_100_mb() -> None:
    assert files.MAX_SOURCE_BYTES >= 100 * 2**20


# ----------------------------------------------------------------------- encodings


@pytest.mark.parametrize(
    ("text", "encoding", "expected"),
    [
        (FRENCH, "utf-8", "utf-8"),
        (FRENCH, "utf-8-sig", "utf-8-sig"),
        (FRENCH, "utf-16", "utf-16-le"),
        (FRENCH, "utf-16-le", "utf-16-le"),
        (FRENCH, "utf-16-be", "utf-16-be"),
        ("Fièvre et œdème: élévation de la CRP à l’admission.", "cp1252", "cp1252"),
        (SIMPLIFIED, "gbk", "gb18030"),
        (SIMPLIFIED, "gb18030", "gb18030"),
        (TRADITIONAL, "big5", "big5"),
        (SIMPLIFIED + "\n" + SIMPLIFIED, "utf-16", "utf-16-le"),
    ],
    ids=[
        "utf8",
        "utf8-bom",
        "utf16-bom",
        "utf16le-no-bom",
        "utf16be-no-bom",
        "cp1252-fr",
        "gbk-zh",
        "gb18030-zh",
        "big5-zh-hant",
        "utf16-bom-zh",
    ],
)
def test_encoding_is_detected(text: str, encoding: str, expected: str) -> None:
    decoded = decode(text.encode(encoding), "x")
    assert decoded.text == text
    assert decoded.encoding == expected


def test_encoding_detected_through_read(tmp_path: Path) -> None:
    path = tmp_path / "zh.txt"
    path.write_bytes(TRADITIONAL.encode("big5"))
    doc = _one(files.read_file(str(path)))
    assert doc.text == TRADITIONAL and doc.encoding == "big5"


def test_utf8_cut_in_the_middle_of_a_character_still_decodes() -> None:
    assert decode("œdème".encode()[:-1], "x").text == "œdèm"


def test_declared_charset_is_used_when_not_utf8() -> None:
    assert decode("Ärzte".encode("latin-1"), "x", declared="iso-8859-1").encoding == "iso8859-1"


@pytest.mark.parametrize(
    ("head", "tail", "legacy"),
    [
        (FRENCH, "Fièvre et œdème: élévation de la CRP à l’admission.", "cp1252"),
        ("Ärzte und Patienten: Übersicht.", "Les données sont présentées en détail.", "latin-1"),
        (SIMPLIFIED, SIMPLIFIED, "gbk"),
        ("Tableau 2 — résultats", TRADITIONAL, "big5"),
    ],
    ids=["utf8+cp1252-fr", "utf8+latin1", "utf8+gbk-zh", "utf8+big5-zh-hant"],
)
def test_mixed_encodings_decode_each_part_with_its_own_encoding(
    head: str, tail: str, legacy: str
) -> None:
    """A UTF-8 file with a legacy tail (a bad concatenation) is not mojibake anywhere."""
    data = (head * 3).encode("utf-8") + b"\n\n" + (tail * 3).encode(legacy)
    decoded = decode(data, "x")
    assert decoded.text == head * 3 + "\n\n" + tail * 3
    assert decoded.encoding.startswith("utf-8+")


def test_mixed_encodings_legacy_head_then_utf8_tail() -> None:
    data = FRENCH.encode("cp1252") + b"\n" + FRENCH.encode("utf-8")
    assert decode(data, "x") == Decoded(FRENCH + "\n" + FRENCH, "utf-8+cp1252")


def test_gbk_line_that_happens_to_be_valid_utf8_stays_gbk() -> None:
    """GBK "摘要" is also valid UTF-8 (Armenian+Cyrillic "ժҪ"): it is not a UTF-8 line."""
    text = "摘要\n" + SIMPLIFIED + "\n结果\n" + SIMPLIFIED
    assert "摘要".encode("gbk").decode("utf-8") == "ժҪ"
    assert decode(text.encode("gbk"), "x") == Decoded(text, "gb18030")


def test_mixed_decoding_honours_a_declared_legacy_charset() -> None:
    data = "Übersicht.".encode() + b"\n" + "Ärzte.".encode("latin-1")
    decoded = decode(data, "x", declared="iso-8859-1")
    assert decoded == Decoded("Übersicht.\nÄrzte.", "utf-8+iso8859-1")


def test_invalid_utf16_with_bom_is_a_clear_error() -> None:
    with pytest.raises(SourceError, match="invalid UTF-16-LE data"):
        decode(b"\xff\xfe\x00\xd8a", "x")  # a lone surrogate


# ------------------------------------------------------------- binary, empty, sniffing


@pytest.mark.parametrize(
    ("data", "described"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "PNG image"),
        (b"PK\x03\x04\x14\x00\x00\x00", "ZIP archive"),
        (b"\x7fELF\x02\x01\x01\x00", "ELF executable"),
        (b"%PDF-1.7\n%\xe2\xe3\n1 0 obj", "PDF document"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "JPEG image"),
        (b"some text\x00\x01\x02\x03 with NULs \x00\x00\xff", "binary data"),
    ],
    ids=["png", "zip", "elf", "pdf-without-reader", "jpeg", "nul-bytes"],
)
def test_binary_files_are_refused(
    data: bytes, described: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delitem(READERS, "application/pdf", raising=False)
    error = _error(RawSource("f.txt", data, "text/plain"))
    assert error.reason.startswith(f"not a text file (looks like {described}")


@pytest.mark.parametrize(
    "data", [b"", b"   \n\t \r\n", "\ufeff  \n".encode(), "  ".encode("utf-16")], ids=str
)
def test_empty_or_whitespace_only_is_refused(data: bytes) -> None:
    assert _error(RawSource("e.txt", data, "text/plain")).reason == "empty file"


@pytest.mark.parametrize(
    ("data", "media_type"),
    [
        (b"<!DOCTYPE html><html><body><p>x</p></body></html>", "text/html"),
        (b"  <html lang='en'><p>x</p></html>", "text/html"),
        (b"<?xml version='1.0'?><article/>", "application/xml"),
        (b"Plain words < and > here.", "text/plain"),
        ("<html><body><p>x</p></body></html>".encode("utf-16"), "text/html"),
    ],
    ids=["doctype", "html-tag", "xml", "text", "utf16-html"],
)
def test_sniffing(data: bytes, media_type: str) -> None:
    assert sniff(data).media_type == media_type


def test_unknown_extension_is_sniffed_as_html() -> None:
    doc = _one(RawSource("page.php", b"<!doctype html><p>Hello <b>there</b>.</p>", None))
    assert doc.media_type == "text/html" and doc.text == "Hello there."


def test_unknown_extension_text_is_read_as_plain_text() -> None:
    assert _one(RawSource("notes", b"Texte simple.", None)).text == "Texte simple."


# ----------------------------------------------------------------------- plain text


def test_plain_text_is_returned_as_decoded() -> None:
    text = "Ligne 1\r\n\r\nLigne  2\n"
    doc = _one(RawSource("a.txt", text.encode(), "text/plain"))
    assert doc.text == text and doc.media_type == "text/plain" and doc.encoding == "utf-8"


def test_metadata_of_the_english_chinese_seed() -> None:
    meta = text_metadata((SEEDS / "eur_j_pediatr_2024_cno_review.en-zh.txt").read_text("utf-8"))
    assert meta.doi == "10.1007/s00431-024-05823-w"
    assert (meta.journal, meta.year, meta.volume) == ("Eur J Pediatr", 2024, "184")
    assert (
        len(meta.affiliations) == 2 and "Université catholique de Louvain" in meta.affiliations[0]
    )
    assert meta.title is None  # the first lines are affiliations and a citation, not a title


def test_metadata_of_the_french_seed_title_skips_breadcrumb() -> None:
    meta = text_metadata((SEEDS / "holden_crmo_sacral_case_report.fr.txt").read_text("utf-8"))
    assert meta.title == (
        "Ostéomyélite multifocale récidivante chronique: "
        "Deux cas de maladie sacrale en réponse aux corticostéroïdes"
    )


@pytest.mark.parametrize(
    ("text", "field", "expected"),
    [
        ("Radiographics. 2009 Jul-Aug;29(4):1159-77.", "volume", "29"),
        ("中华儿科杂志, 2020, 58(3): 123-127", "journal", "中华儿科杂志"),
        ("Vol. 26 No. 2 2015 Formation continue", "year", 2015),
        ("Title line here\nhttps://doi.org/10.1016/j.jpeds.2007.08.047Get rights", "doi",
         "10.1016/j.jpeds.2007.08.047"),
        ("Some Title Of Paper\nPMID: 19605663", "pmid", "19605663"),
        ("Department of Pediatrics, 北京协和医院, Beijing, China", "affiliations",
         ("Department of Pediatrics, 北京协和医院, Beijing, China",)),
        ("北京协和医院儿科,北京 100730", "affiliations", ("北京协和医院儿科,北京 100730",)),
        ("Authors: K. Bouchalova 1,2;  J. Fráňová 2", "authors", ("K. Bouchalova", "J. Fráňová")),
        ("Hu Y W, Liu R, Luo L\nA Real Title About Bone Disease", "title",
         "A Real Title About Bone Disease"),
    ],
    ids=["nlm-citation", "zh-citation", "vol-no-year", "doi-glued", "pmid", "affil-en",
         "affil-zh", "authors", "title-after-authors"],
)  # fmt: skip
def test_text_metadata_heuristics(text: str, field: str, expected: object) -> None:
    assert getattr(text_metadata(text), field) == expected


def test_sentence_mentioning_a_hospital_is_not_an_affiliation() -> None:
    text = (
        "Title Of The Study\nPatients came from the University Hospital of Lyon, and most stayed."
    )
    assert text_metadata(text).affiliations == ()


def test_markdown_markers_are_removed() -> None:
    doc = _one(files.read_file(str(FIXTURES / "article.md")))
    assert doc.media_type == "text/markdown"
    assert doc.text.splitlines() == [
        "Titre de l’article sur l’ostéomyélite",
        "",
        "Un paragraphe avec un lien.",
        "",
        "premier point",
        "second point",
    ]
    assert doc.meta.title == "Titre de l’article sur l’ostéomyélite"


def test_markdown_tables_become_one_cell_per_line() -> None:
    assert markdown_to_text("| a | b |\n|---|---|\n| 1 | 2 |") == "a\nb\n1\n2"


# ----------------------------------------------------------------------------- HTML

PAGE = """<!DOCTYPE html><html lang="fr-FR"><head><title>Titre | Revue</title>
<meta name="citation_title" content="Ostéomyélite chronique de l’enfant">
<meta name="citation_doi" content="10.1000/xyz.1">
<meta name="citation_journal_title" content="Rev Rhum">
<meta name="citation_publication_date" content="2021/03/04">
<meta name="citation_volume" content="88">
<meta name="citation_author" content="Dupont, A"><meta name="citation_author" content="Martin, B">
<meta name="citation_author_institution" content="CHU de Lyon">
<style>p {color: red}</style><script>var tracking = 1;</script></head>
<body><header>Logo du site</header><nav><a>Accueil</a> <a>Revues</a></nav>
<div class="cookie-banner">Nous utilisons des cookies.</div>
<a class="skip-link" href="#main">Aller au contenu</a>
<main><h1>Ostéomyélite</h1><p>Premier   paragraphe
 sur deux lignes.</p><ul><li>un</li><li>deux</li></ul>
<figure><div class="tools"><a>View large</a><a>Download slide</a><a>Open in new tab</a></div>
<a>Télécharger la lame</a><figcaption>IRM du sacrum.</figcaption></figure>
<section><h2>Résultats</h2><table><caption>Tableau 1</caption><tr><th>Âge</th><td>7 ans</td></tr>
</table></section><form><input value="Rechercher"> Rechercher</form>
<aside>Articles similaires</aside><noscript>Activez JavaScript</noscript>
<div style="display: none">caché</div><div aria-hidden="true">masqué</div></main>
<footer>© 2021 Revue</footer></body></html>"""


def test_html_keeps_blocks_and_drops_chrome() -> None:
    doc = _one(RawSource("p.html", PAGE.encode(), "text/html"))
    assert doc.text.split("\n") == [
        "Ostéomyélite",
        "Premier paragraphe sur deux lignes.",
        "un",
        "deux",
        "IRM du sacrum.",
        "",
        "Résultats",
        "Tableau 1",
        "Âge",
        "7 ans",
    ]


def test_html_metadata() -> None:
    meta = _one(RawSource("p.html", PAGE.encode(), "text/html")).meta
    assert meta.title == "Ostéomyélite chronique de l’enfant"
    assert (meta.doi, meta.journal, meta.year, meta.volume) == (
        "10.1000/xyz.1",
        "Rev Rhum",
        2021,
        "88",
    )
    assert meta.authors == ("Dupont, A", "Martin, B")
    assert meta.affiliations == ("CHU de Lyon",)
    assert meta.declared_language == "fr"


def test_html_metadata_fallbacks_title_tag_and_doi_in_text() -> None:
    page = b"<html><head><title>Only Title</title>"
    page += b"<meta name='dc.identifier' content='doi:10.5555/x.9'></head>"
    page += b"<body><p>Body text.</p></body></html>"
    meta = _one(RawSource("p.html", page, "text/html")).meta
    assert (meta.title, meta.doi) == ("Only Title", "10.5555/x.9")
    page2 = b"<html><body><h1>Heading Title</h1><p>See doi: 10.1234/abc-5.</p></body></html>"
    meta2 = _one(RawSource("p.html", page2, "text/html")).meta
    assert (meta2.title, meta2.doi) == ("Heading Title", "10.1234/abc-5")


def test_html_declared_charset_is_honoured() -> None:
    page = '<html><head><meta charset="gbk"></head><body><p>慢性骨髓炎</p></body></html>'
    doc = _one(RawSource("p.html", page.encode("gbk"), "text/html"))
    assert doc.text == "慢性骨髓炎" and doc.encoding == "gbk"


@pytest.mark.parametrize("tag", ["div", "b", "span"])
def test_deeply_nested_html_does_not_crash(tag: str) -> None:
    page = f"<{tag}>" * 10_000 + "profond" + f"</{tag}>" * 10_000
    assert _one(RawSource("deep.html", page.encode(), "text/html")).text == "profond"


def test_html_fixture_file() -> None:
    doc = _one(files.read_file(str(FIXTURES / "page.html")))
    assert doc.text == "Hello world paragraph." and doc.meta.doi == "10.1000/abc.2"
    assert doc.meta.title == "Page" and doc.meta.declared_language == "en"


def test_html_reader_direct_call_returns_one_document() -> None:
    assert len(read_html(RawSource("p.html", PAGE.encode(), "text/html"))) == 1


def test_folder_notes_are_skipped_in_a_walk_but_read_when_named(tmp_path):
    from litkit.sources import resolve

    (tmp_path / "README.md").write_text("# About this corpus", "utf-8")
    (tmp_path / "LICENSE").write_text("CC BY", "utf-8")
    (tmp_path / "article.txt").write_text("Les AINS sont efficaces.", "utf-8")
    walked = [s.locator for s in resolve([str(tmp_path)])]
    assert walked == [str(tmp_path / "article.txt")]
    named = [s.locator for s in resolve([str(tmp_path / "README.md")])]
    assert named == [str(tmp_path / "README.md")]


REFERENCES_PAGE = """<html><body><main><h1>Title</h1>
<p>Naproxen was effective; see the {heading} below.</p>
<section><h2>Discussion</h2><p>Body text.</p><p>{heading}</p><p>Kept paragraph.</p></section>
<section><h2 class="c-article-section__title">7. {heading}:</h2>
<ol><li>Smith J. Methotrexate in CRMO. 2010.</li><li><h3>Further reading</h3>More.</li></ol>
</section><section><h2>Acknowledgements</h2><p>Thanks.</p></section></main></body></html>"""


def _line_roles(doc: ParsedText) -> list[tuple[str, str]]:
    """Each non-empty line of a reader's text with the role of the span that holds it."""
    pairs, offset = [], 0
    for line in doc.text.split("\n"):
        if line:
            role = next(r for s, e, r in doc.roles if s <= offset and offset + len(line) <= e)
            pairs.append((line, role))
        offset += len(line) + 1
    return pairs


@pytest.mark.parametrize(
    "heading",
    ["References", "Bibliography", "Références", "Bibliographie", "参考文献", "參考文獻"],
    ids=["en", "en-bibliography", "fr", "fr-bibliographie", "zh-hans", "zh-hant"],
)
def test_html_reference_list_after_a_real_heading_is_marked_as_references(heading: str) -> None:
    page = REFERENCES_PAGE.format(heading=heading)
    doc = _one(RawSource("p.html", page.encode(), "text/html"))
    assert _line_roles(doc) == [
        ("Title", "title"),
        (f"Naproxen was effective; see the {heading} below.", "body"),
        ("Discussion", "heading"),
        ("Body text.", "body"),
        (heading, "body"),  # a paragraph, not a heading: body text
        ("Kept paragraph.", "body"),
        (f"7. {heading}:", "heading"),
        ("Smith J. Methotrexate in CRMO. 2010.", "reference"),
        ("Further reading", "heading"),  # a lower heading inside the list does not end it
        ("More.", "reference"),
        ("Acknowledgements", "heading"),
        ("Thanks.", "body"),
    ]


@pytest.mark.parametrize(
    ("heading", "kept"),
    [
        ('<div class="pmc_sec_title">References</div>', "Funding"),
        ('<div role="heading" aria-level="3">References</div>', "Funding"),
        ("<h3>References</h3>", "Funding"),
    ],
    ids=["section-title-class", "aria-heading", "h3-ends-at-h3"],
)
def test_html_reference_list_ends_at_the_next_heading(heading: str, kept: str) -> None:
    page = f"<html><body><p>Text.</p>{heading}<p>Ref one.</p><h3>{kept}</h3><p>None.</p>"
    doc = _one(RawSource("p.html", page.encode(), "text/html"))
    assert _line_roles(doc) == [
        ("Text.", "body"),
        ("References", "heading"),
        ("Ref one.", "reference"),
        (kept, "heading"),
        ("None.", "body"),
    ]


@pytest.mark.parametrize(
    "links",
    [
        '<a class="usa-skipnav" href="#article-details">Skip to main page content</a>',
        "<p>Skip navigation | Skip to search</p><div>Access keys Main Navigation</div>",
        "<p>Aller au contenu</p>",
        "<p>跳至主要内容</p>",
    ],
    ids=["en-pubmed", "en-chain", "fr", "zh"],
)
def test_html_skip_links_are_dropped(links: str) -> None:
    page = f"<html><body>{links}<main><h1>Title</h1><p>Main content of the study.</p></main>"
    doc = _one(RawSource("p.html", page.encode(), "text/html"))
    assert doc.text.split("\n") == ["Title", "Main content of the study."]  # not only links: kept


def test_plain_text_keeps_a_skip_link_line() -> None:
    """The gold guide lists navigation text as a sentence; only the HTML reader drops it."""
    text = "Skip to main page content\nNaproxen was effective."
    assert clean(text).text == text
