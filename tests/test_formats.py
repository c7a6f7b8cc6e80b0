"""The readers of web pages, DOCX, ODT, EPUB and PDF (fasearch.corpus.formats).

Every fixture is made here, with real sentences of the bundled article, by
the libraries that write the format (python-docx, odfpy, ebooklib; Chromium
prints the PDFs, with its own Persian shaping), then indexed and searched.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import sys

import pytest

from conftest import ARTICLE, ROOT
from fasearch.corpus.article import read_article
from fasearch.corpus.pdf import fold_forms, reversed_share
from fasearch.errors import CorpusError
from fasearch.index import open_index
from fasearch.indexing import build_index
from fasearch.searching.search import search

# Sentences of the article, one a paragraph here: enough of them for every fixture its own.
PARAGRAPHS = [s + "." for _, p in read_article(ARTICLE).paragraphs for s in p.split(". ") if 100 < len(s) < 400
              and "." not in s]
assert len(PARAGRAPHS) >= 20
AUTHOR = "اصغر کریمی"
TITLE = "حزب کمونیست کارگری و جنبش کارگری"
HEADINGS = ["چهره های کارگری", "کمپین ها", "اعتصابات"]
# Words of the boilerplate: none is in the article.
NAV, AD, SCRIPT, COMMENT = "پیتزافروشی", "قرعه‌کشی", "هواپیمایی", "زعفران"
CHROMIUM = shutil.which("chromium")


def page(charset="utf-8", body_title=True):
    p = PARAGRAPHS
    return f"""<!DOCTYPE html>
<html lang="fa" dir="rtl"><head><meta charset="{charset}">
<title>{TITLE} | نشریه انترناسیونال</title>
<meta property="og:title" content="{TITLE}">
<meta name="author" content="{AUTHOR}">
<meta property="article:published_time" content="2026-05-01">
<meta property="og:site_name" content="انترناسیونال">
<script>var x = "{SCRIPT}";</script><style>p {{ color: black }}</style></head>
<body><nav><ul><li><a href="/">{NAV}</a></li><li><a href="/a">صفحه اصلی</a></li></ul></nav>
<div class="ad advertisement" id="banner-ad">{AD} بزرگ امروز</div>
<article>{f"<h1>{TITLE}</h1>" if body_title else ""}
<p>{p[0]}</p>
<!-- {COMMENT} -->
<h2>{HEADINGS[0]}</h2><p>{p[1]}</p><p>{p[2]}</p>
<h3>{HEADINGS[1]}</h3><p>{p[3]}</p>
<h4>{HEADINGS[2]}</h4><p>{p[4]}</p>
</article><footer>کلیه حقوق محفوظ است</footer></body></html>"""


def docx_bytes(core=True):
    import docx

    document = docx.Document()
    if core:
        document.core_properties.title = TITLE
        document.core_properties.author = AUTHOR
    else:
        document.add_paragraph(TITLE, style="Title")
    document.add_paragraph(PARAGRAPHS[5])
    for i, heading in enumerate(HEADINGS):
        document.add_heading(heading, level=i + 1)
        document.add_paragraph(PARAGRAPHS[6 + i])
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def odt_bytes():
    from odf import dc, text
    from odf.opendocument import OpenDocumentText

    document = OpenDocumentText()
    document.meta.addElement(dc.Title(text=TITLE))
    document.meta.addElement(dc.Creator(text=AUTHOR))
    document.text.addElement(text.P(text=PARAGRAPHS[9]))
    for i, heading in enumerate(HEADINGS):
        document.text.addElement(text.H(outlinelevel=i + 2, text=heading))
        document.text.addElement(text.P(text=PARAGRAPHS[10 + i]))
    out = io.BytesIO()
    document.write(out)
    return out.getvalue()


def epub_bytes():
    from ebooklib import epub

    book = epub.EpubBook()
    book.set_identifier("fasearch-test")
    book.set_title(TITLE)
    book.set_language("fa")
    book.add_author(AUTHOR)
    chapters = []
    for i, heading in enumerate(HEADINGS[:2]):
        chapter = epub.EpubHtml(title=f"فصل {i + 1}", file_name=f"c{i}.xhtml", lang="fa")
        chapter.content = (f"<html><body><p>{PARAGRAPHS[13 + 2 * i]}</p><h2>{heading}</h2>"
                           f"<p>{PARAGRAPHS[14 + 2 * i]}</p></body></html>")
        book.add_item(chapter)
        chapters.append(chapter)
    book.toc = chapters
    book.spine = ["nav", *chapters]
    book.add_item(epub.EpubNcx())
    book.add_item(epub.EpubNav())
    out = io.BytesIO()
    epub.write_epub(out, book)
    return out.getvalue()


def print_pdf(tmp_path, html, name="page"):
    if not CHROMIUM:
        pytest.skip("no /usr/bin/chromium to print a Persian PDF with (Debian's chromium package)")
    source = tmp_path / f"{name}.html"
    source.write_text(html, encoding="utf-8")
    target = tmp_path / f"{name}.pdf"
    subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
                    f"--print-to-pdf={target}", source.as_uri()], capture_output=True, timeout=120, check=True)
    return target.read_bytes()


def pdf_html(paragraphs, headings=()):
    body = "".join(f"<h2>{h}</h2><p>{p}</p>" for h, p in zip(headings, paragraphs))
    body += "".join(f"<p>{p}</p>" for p in paragraphs[len(headings):])
    return (f'<html lang="fa" dir="rtl"><head><meta charset="utf-8"><title>آزمون</title></head>'
            f'<body style="font-family: Nazli, DejaVu Sans"><p style="font-size: 12px">{AUTHOR}</p>'
            f'<h1 style="font-size: 14px">{TITLE}</h1>{body}</body></html>')


def words_of(paragraph):
    return " ".join(paragraph.split()[3:7])


def found(ix, query):
    return {hit.article for hit in search(ix, query).hits}


# -- each reader alone ---------------------------------------------------------------------------------------------


def test_html_main_text_metadata_and_sections(tmp_path):
    article = read_article(tmp_path / "a.html", page().encode())
    assert (article.title, article.author, article.date, article.source) == (TITLE, AUTHOR, "2026-05-01",
                                                                            "انترناسیونال")
    assert article.headings == HEADINGS
    text = " ".join(p for _, p in article.paragraphs)
    assert PARAGRAPHS[0] in text and PARAGRAPHS[4] in text
    for word in (NAV, AD, SCRIPT, COMMENT, "حقوق"):
        assert word not in text


def test_html_in_its_declared_windows_1256(tmp_path):
    # Windows-1256 has no Persian ye, keheh and digits: the Arabic letters, which the analysis folds.
    markup = page(charset="windows-1256").replace("ی", "ي").replace("ک", "ك")
    markup = markup.translate(str.maketrans("۰۱۲۳۴۵۶۷۸۹", "0123456789"))
    article = read_article(tmp_path / "a.htm", markup.encode("cp1256"))
    assert article.author == "اصغر كريمي" and len(article.headings) == 3
    assert "?" not in " ".join(p for _, p in article.paragraphs).replace("؟", "")


def test_a_web_page_saved_as_txt_is_read_as_html(tmp_path):
    article = read_article(tmp_path / "saved.txt", b"\n  " + page().encode())
    assert article.title == TITLE and article.headings == HEADINGS
    assert read_article(tmp_path / "plain.txt", "<b>کارگر</b> سلام.".encode()).title == "plain"


def test_docx_title_author_headings(tmp_path):
    article = read_article(tmp_path / "a.docx", docx_bytes())
    assert (article.title, article.author, article.headings) == (TITLE, AUTHOR, HEADINGS)
    assert article.sections[0].paragraphs == [PARAGRAPHS[5]]
    article = read_article(tmp_path / "b.docx", docx_bytes(core=False))
    assert article.title == TITLE and article.headings == HEADINGS


def test_odt_title_author_headings(tmp_path):
    article = read_article(tmp_path / "a.odt", odt_bytes())
    assert (article.title, article.author, article.headings) == (TITLE, AUTHOR, HEADINGS)
    assert [p for _, p in article.paragraphs] == PARAGRAPHS[9:13]


def test_epub_one_article_chapters_as_sections(tmp_path):
    article = read_article(tmp_path / "book.epub", epub_bytes())
    assert (article.title, article.author) == (TITLE, AUTHOR)
    assert [s.heading for s in article.sections] == ["فصل 1", HEADINGS[0], "فصل 2", HEADINGS[1]]
    assert [p for _, p in article.paragraphs] == PARAGRAPHS[13:17]


def test_pdf_presentation_forms_are_folded(tmp_path):
    data = print_pdf(tmp_path, pdf_html(PARAGRAPHS[17:20], HEADINGS[:2]))
    article = read_article(tmp_path / "a.pdf", data)
    assert (article.author, article.title) == (AUTHOR, TITLE)
    assert article.headings == HEADINGS[:2]
    text = " ".join(p for _, p in article.paragraphs)
    assert fold_forms(text) == text and PARAGRAPHS[18] in text


def test_pdf_refusals_name_the_file_and_the_reason(tmp_path):
    import pypdf

    reversed_words = [" ".join(w[::-1] for w in p.split()) for p in PARAGRAPHS[17:19]]
    with pytest.raises(CorpusError, match=r"r\.pdf: .*reversed order"):
        read_article(tmp_path / "r.pdf", print_pdf(tmp_path, pdf_html(reversed_words), "r"))
    assert reversed_share(" ".join(PARAGRAPHS[:3])) < 0.05
    writer = pypdf.PdfWriter()
    writer.add_blank_page(595, 842)
    blank = io.BytesIO()
    writer.write(blank)
    with pytest.raises(CorpusError, match=r"scan\.pdf: a PDF without a text layer .*OCR"):
        read_article(tmp_path / "scan.pdf", blank.getvalue())
    writer = pypdf.PdfWriter(clone_from=io.BytesIO(print_pdf(tmp_path, pdf_html(PARAGRAPHS[17:18]), "e")))
    writer.encrypt("secret", algorithm="RC4-128")
    locked = io.BytesIO()
    writer.write(locked)
    with pytest.raises(CorpusError, match=r"locked\.pdf: an encrypted PDF \(it needs a password\)"):
        read_article(tmp_path / "locked.pdf", locked.getvalue())


@pytest.mark.parametrize("suffix", [".html", ".docx", ".odt", ".epub", ".pdf"])
def test_a_damaged_file_is_a_corpus_error_naming_it(tmp_path, suffix):
    data = {".html": b"\x00\x01<html>", ".pdf": b"%PDF-1.7\n1 0 obj <<\n"}.get(suffix, b"PK\x03\x04 broken zip")
    with pytest.raises(CorpusError, match=rf"bad{suffix}: "):
        read_article(tmp_path / f"bad{suffix}", data)


# -- indexed and searched ------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    folder = tmp_path_factory.mktemp("formats") / "corpus"
    folder.mkdir()
    (folder / "web.html").write_bytes(page().encode())
    (folder / "word.docx").write_bytes(docx_bytes())
    (folder / "writer.odt").write_bytes(odt_bytes())
    (folder / "book.epub").write_bytes(epub_bytes())
    if CHROMIUM:
        (folder / "print.pdf").write_bytes(print_pdf(folder.parent, pdf_html(PARAGRAPHS[17:20], HEADINGS[:2])))
    for suffix in (".html", ".docx", ".odt", ".epub", ".pdf"):  # damaged: skipped, named, the rest indexed
        data = {".html": b"\x00\x01<html>", ".pdf": b"%PDF-1.7\n1 0 obj <<\n"}.get(suffix, b"PK\x03\x04 broken")
        (folder / f"bad{suffix}").write_bytes(data)
    return folder


def test_every_format_is_searchable_and_the_boilerplate_is_not(corpus, tmp_path):
    report = build_index(corpus, tmp_path / "ix")
    assert sorted(line.split(":")[0].rsplit("/", 1)[-1] for line in report.skipped) == [
        "bad.docx", "bad.epub", "bad.html", "bad.odt", "bad.pdf"]
    with open_index(tmp_path / "ix") as ix:
        assert "web" in found(ix, words_of(PARAGRAPHS[2]))
        assert "word" in found(ix, words_of(PARAGRAPHS[7]))
        assert "writer" in found(ix, words_of(PARAGRAPHS[11]))
        assert "book" in found(ix, words_of(PARAGRAPHS[16]))
        if CHROMIUM:
            assert "print" in found(ix, words_of(PARAGRAPHS[19]))
        for word in (NAV, AD, SCRIPT, COMMENT):
            assert not found(ix, word), word
        hit = search(ix, words_of(PARAGRAPHS[3])).hits[0]
        assert (hit.article, hit.title, hit.author) == ("web", TITLE, AUTHOR)


def test_indexer_skips_the_damaged_names_each_and_exits_6(corpus, tmp_path):
    result = subprocess.run([sys.executable, "indexer.py", "--corpus", str(corpus), "--index", str(tmp_path / "ix")],
                            cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 6, result.stderr
    assert "Traceback" not in result.stderr
    stray = [line for line in result.stderr.splitlines() if not line.startswith(("warning: ", "note: "))]
    assert not stray, stray  # the libraries' own logging (pypdf's "EOF marker not found") is not shown
    for suffix in (".html", ".docx", ".odt", ".epub", ".pdf"):
        assert f"bad{suffix}: " in result.stderr
    assert "bad.docx: a damaged DOCX document" in result.stderr


def test_a_bug_in_a_reader_is_not_a_damaged_file(tmp_path, monkeypatch):
    """A TypeError raised by fasearch's own reading code is a bug (exit 70), never
    'a damaged file' skipped quietly."""
    import fasearch.corpus.html as html_reader

    def broken(*args, **kwargs):
        raise TypeError("a bug")

    monkeypatch.setattr(html_reader, "parse_html", broken)
    page = tmp_path / "page.html"
    page.write_text("<html><body><p>کارگران نفت اعتصاب کردند.</p></body></html>", "utf-8")
    with pytest.raises(TypeError, match="a bug"):
        read_article(page)
