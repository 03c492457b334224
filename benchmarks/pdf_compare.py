"""Compare PDF text extractors on generated French and Chinese articles; write test fixtures.

Why: the PDF reader must choose between pypdf and pdfminer.six by measured quality, not by
reputation. This script draws two small multi-page articles with reportlab (running header,
page-number footer, words hyphenated across lines, a paragraph gap), extracts them with each
library, with and without litkit's clean-up, and prints similarity to the known text and
the time per page.

    .venv/bin/pip install reportlab pdfminer.six   # benchmark-only, not runtime dependencies
    .venv/bin/python benchmarks/pdf_compare.py                 # measure
    .venv/bin/python benchmarks/pdf_compare.py --write-fixtures  # rewrite tests/fixtures/remote
"""

from __future__ import annotations

import argparse
import difflib
import io
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run from a checkout without installing litkit
FIXTURES = ROOT / "tests" / "fixtures" / "remote"

# Each article: running header, then pages of (heading | paragraph-lines) items. Paragraph
# lines are pre-broken so hyphenation across lines is exactly known: a soft hyphen (U+00AD)
# marks a hyphen that only breaks the line (drawn as "-", absent from the truth); a plain
# "-" at a line end is part of a compound ("auto-inflammatoire") and stays.
FRENCH = {
    "font": "Helvetica",
    "title": "Ostéomyélite chronique non bactérienne de l’enfant",
    "header": "Revue de Rhumatologie Pédiatrique · 2023 ; 12 : 45-52",
    "pages": [
        [
            ("h", "Ostéomyélite chronique non bactérienne de l’enfant"),
            ("h", "Introduction"),
            (
                "p",
                [
                    "L’ostéomyélite chronique non bactérienne (OCNB) est une maladie auto-",
                    "inflammatoire rare de l’enfant. Elle se manifeste par des douleurs osseu\u00ad",  # noqa: E501
                    "ses multifocales et un œdème des tissus mous.",
                ],
            ),
            (
                "p",
                [
                    "Le diagnostic repose sur l’IRM du corps entier et, parfois, sur une biop\u00ad",  # noqa: E501
                    "sie osseuse qui exclut une infection ou une tumeur.",
                ],
            ),
        ],
        [
            ("h", "Méthodes"),
            (
                "p",
                [
                    "Nous avons inclus 42 enfants suivis entre 2010 et 2020. Les anti-",
                    "inflammatoires non stéroïdiens ont été prescrits en première intention.",
                ],
            ),
            (
                "p",
                [
                    "Les patients résistants ont reçu du pamidronate par voie intravei\u00ad",
                    "neuse, à la dose de 1 mg/kg pendant trois jours.",
                ],
            ),
        ],
        [
            ("h", "Résultats"),
            (
                "p",
                [
                    "Une rémission clinique a été obtenue chez 30 enfants sur 42. Les",
                    "anti-inflammatoires ont suffi chez la moitié des patients.",
                ],
            ),
            ("h", "Conclusion"),
            (
                "p",
                ["Le pamidronate est efficace dans les formes résistantes de l’OCNB."],
            ),
        ],
    ],
}

CHINESE = {
    "font": "STSong-Light",
    "title": "儿童慢性非细菌性骨髓炎的临床特点",
    "header": "中华儿科杂志 2022年 第60卷",
    "pages": [
        [
            ("h", "儿童慢性非细菌性骨髓炎的临床特点"),
            ("h", "摘要"),
            (
                "p",
                [
                    "慢性非细菌性骨髓炎是一种罕见的自身炎症性骨病，多见于儿童和青少",
                    "年。患者常表现为多灶性骨痛。",
                ],
            ),
            (
                "p",
                [
                    "全身磁共振成像有助于发现无症状病灶。骨活检可排除感染和肿",
                    "瘤。",
                ],
            ),
        ],
        [
            ("h", "方法"),
            (
                "p",
                [
                    "本研究纳入了二十八例患儿。非甾体抗炎药为一线治疗，疗效不佳者",
                    "给予帕米膦酸钠静脉输注。",
                ],
            ),
        ],
        [
            ("h", "结果"),
            (
                "p",
                [
                    "二十例患儿获得临床缓解。帕米膦酸钠治疗后骨痛明显减轻，未见严",
                    "重不良反应。",
                ],
            ),
        ],
    ],
}


def expected_text(article: dict) -> str:
    """The text a perfect reader returns: blocks one per line, line-break hyphens undone."""
    blocks = []
    for page in article["pages"]:
        for kind, content in page:
            if kind == "h":
                blocks.append(content)
                continue
            text = ""
            for line in content:
                if text.endswith(("\u00ad", "-")) or _is_cjk(text[-1:]) or not text:
                    text = text.removesuffix("\u00ad") + line
                else:
                    text += " " + line
            blocks.append(text)
    return "\n".join(blocks)


def _is_cjk(char: str) -> bool:
    return (bool(char) and "\u3000" <= char <= "\u9fff") or "\uff00" <= char <= "\uffef"


def draw_pdf(article: dict) -> bytes:
    """Draw the article with reportlab: header, body, page number, like a journal PDF."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    font = article["font"]
    if font == "STSong-Light":
        pdfmetrics.registerFont(UnicodeCIDFont(font))
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4, invariant=1)  # invariant: reproducible bytes
    pdf.setTitle(article["title"])
    pdf.setAuthor("Test Author")
    width, height = A4
    for number, page in enumerate(article["pages"], start=1):
        pdf.setFont(font, 9)
        pdf.drawString(60, height - 40, article["header"])
        y = height - 90
        for kind, content in page:
            if kind == "h":
                pdf.setFont(font, 13)
                pdf.drawString(60, y, content)
                y -= 24
            else:
                pdf.setFont(font, 11)
                for line in content:
                    pdf.drawString(60, y, line.replace("\u00ad", "-"))
                    y -= 15
                y -= 12  # paragraph gap
        pdf.setFont(font, 9)
        pdf.drawString(width / 2, 30, str(number))
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def extract_pypdf_raw(data: bytes) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def extract_pdfminer_raw(data: bytes) -> str:
    from pdfminer.high_level import extract_text

    return extract_text(io.BytesIO(data))


def extract_litkit(data: bytes) -> str:
    from litkit.models import RawSource
    from litkit.sources.pdf import read_pdf

    (parsed,) = read_pdf(RawSource("bench.pdf", data, "application/pdf"))
    return parsed.text


def extract_pdfminer_cleaned(data: bytes) -> str:
    """pdfminer's lines (with their positions) through litkit's clean-up, for a fair match."""
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LTTextContainer, LTTextLine

    from litkit.sources.pdf import Line, clean_page_lines

    pages = []
    for layout in extract_pages(io.BytesIO(data)):
        lines = []
        for box in layout:
            if isinstance(box, LTTextContainer):
                for row in box:
                    if isinstance(row, LTTextLine) and row.get_text().strip():
                        size = round(row.height, 1)
                        lines.append(Line(" ".join(row.get_text().split()), row.y0, size))
        pages.append(lines)
    return clean_page_lines(pages)


def similarity(expected: str, got: str) -> float:
    return difflib.SequenceMatcher(None, expected, got, autojunk=False).ratio()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write-fixtures", action="store_true")
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    articles = {"fr": FRENCH, "zh": CHINESE}
    pdfs = {lang: draw_pdf(article) for lang, article in articles.items()}
    if args.write_fixtures:
        FIXTURES.mkdir(parents=True, exist_ok=True)
        for lang, data in pdfs.items():
            path = FIXTURES / f"article_{lang}.pdf"
            path.write_bytes(data)
            print(f"wrote {path} ({len(data):,} bytes)")
    methods = {
        "pypdf raw": extract_pypdf_raw,
        "pypdf + litkit clean-up": extract_litkit,
    }
    try:
        import pdfminer  # noqa: F401

        methods["pdfminer.six raw"] = extract_pdfminer_raw
        methods["pdfminer.six + litkit clean-up"] = extract_pdfminer_cleaned
    except ImportError:
        print("pdfminer.six not installed: only pypdf is measured")
    print(f"| method | lang | similarity to truth | ms/page (x{args.repeat}) |")
    print("|---|---|---|---|")
    for name, method in methods.items():
        for lang, data in pdfs.items():
            truth = expected_text(articles[lang])
            started = time.perf_counter()
            for _ in range(args.repeat):
                got = method(data)
            elapsed = (time.perf_counter() - started) / args.repeat
            per_page = elapsed * 1000 / len(articles[lang]["pages"])
            print(f"| {name} | {lang} | {similarity(truth, got):.3f} | {per_page:.1f} |")


if __name__ == "__main__":
    main()
