"""Reading the real article: header, the six headings, thirteen paragraphs."""

import pytest

from fasearch.corpus.article import INTRODUCTION, parse_markdown, parse_text, read_article
from fasearch.errors import CorpusError

HEADINGS = [
    "چهره های کارگری",
    "نقش خانواده ها",
    "مطالبات عمومی مردم، دمکراتیک یا سوسیالیستی؟",
    "ایجاد پشتوانه بین المللی",
    "رسانه ای کردن اعتصابات",
    "آیا کارگران پراکنده اند؟",
]


def test_header(article):
    assert (article.author, article.title, article.occasion, article.part) == (
        "اصغر کریمی",
        "حزب کمونیست کارگری و جنبش کارگری",
        "به مناسبت بیست و هفتمین سالروز تشکیل حزب",
        "قسمت دوم",
    )


def test_exactly_the_six_headings(article):
    assert article.headings == HEADINGS


def test_thirteen_paragraphs_in_order(article):
    counts = [(s.heading, len(s.paragraphs)) for s in article.sections]
    assert counts == [(INTRODUCTION, 1), (HEADINGS[0], 2), (HEADINGS[1], 3), (HEADINGS[2], 1),
                      (HEADINGS[3], 1), (HEADINGS[4], 1), (HEADINGS[5], 4)]
    assert article.paragraphs[0][1].startswith("در بخش اول این نوشته")
    assert article.paragraphs[-1][1].startswith("جنبش کارگری امروز شباهتی")


def test_no_export_artifact_is_left(article):
    assert not any("[bookmark" in text or "_GoBack" in text for _, text in article.paragraphs)
    assert article.paragraphs[10][1].startswith("ساده ترین چیز")


def test_crlf_and_bom_read_the_same(tmp_path):
    text = "نویسنده\nعنوان مقاله طولانی\n\nمتن اول که یک جمله است.\n\nتیتر\n\nمتن دوم.\n"
    (tmp_path / "a.txt").write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode())
    (tmp_path / "b.txt").write_text(text, "utf-8")
    a, b = read_article(tmp_path / "a.txt"), read_article(tmp_path / "b.txt")
    assert [(s.heading, s.paragraphs) for s in a.sections] == [(s.heading, s.paragraphs) for s in b.sections]
    assert a.headings == ["تیتر"]


def test_not_utf8_is_a_clear_error(tmp_path):
    path = tmp_path / "cp1256.txt"
    path.write_bytes("کارگر".encode("cp1256"))
    with pytest.raises(CorpusError, match="cp1256.txt: not UTF-8"):
        read_article(path)


def test_a_short_line_at_the_end_is_a_paragraph():
    article = parse_text("عنوان\n\nمتن اول.\n\nپایان", "x")
    assert article.headings == []
    assert article.paragraphs[-1][1] == "پایان"


def test_markdown_headings_and_front_matter():
    text = "---\ntitle: جنبش کارگری\nauthor: نویسنده\npart: قسمت سوم\n---\n\nمقدمه کوتاه.\n\n## نقش زنان\n\nپاراگراف\nدو خطی.\n\nپاراگراف دوم.\n"  # noqa: E501
    article = parse_markdown(text, "x")
    assert (article.title, article.author, article.part) == ("جنبش کارگری", "نویسنده", "قسمت سوم")
    assert [(s.heading, s.paragraphs) for s in article.sections] == [
        (INTRODUCTION, ["مقدمه کوتاه."]), ("نقش زنان", ["پاراگراف دو خطی.", "پاراگراف دوم."])]


# Warnings: what the reading guessed or left out, as "file:line: message".
FIRST = "در بخش اول این نوشته به متد و مبانی فکری و سیاسی ما در برخورد به جنبش کارگری صحبت کردیم."
BYLINE_AND_TITLE = "اصغر کریمی\nحزب کمونیست کارگری و جنبش کارگری\n"


def test_the_real_article_reads_without_warnings(article):
    assert article.warnings == []


@pytest.mark.parametrize("header", [
    BYLINE_AND_TITLE,  # right above the text: the «مقدمه‌ای کوتاه» that used to vanish into the header
    BYLINE_AND_TITLE + "\n",
    BYLINE_AND_TITLE + "قسمت دوم\n\n",  # after the part line
    BYLINE_AND_TITLE + "قسمت دوم\n",
], ids=["right above the text", "after a blank line", "after the part line", "right after the part line"])
def test_a_heading_right_after_the_header_is_a_heading(header):
    article = parse_text(header + "مقدمه‌ای کوتاه\n" + FIRST + "\n", "x", "corpus/x.txt")
    assert (article.author, article.title, article.occasion) == ("اصغر کریمی", "حزب کمونیست کارگری و جنبش کارگری", "")
    assert [(s.heading, s.paragraphs) for s in article.sections] == [("مقدمه‌ای کوتاه", [FIRST])]
    line = header.count("\n") + 1
    assert article.warnings == [f"corpus/x.txt:{line}: «مقدمه‌ای کوتاه» after the header read as a heading"]


def test_a_line_that_may_be_a_heading_stays_in_the_header_with_a_warning():
    article = parse_text(BYLINE_AND_TITLE + "مقدمه‌ای کوتاه\n\n" + FIRST + "\n", "x", "corpus/x.txt")
    assert article.occasion == "مقدمه‌ای کوتاه" and article.headings == []
    assert article.warnings == ["corpus/x.txt:3: «مقدمه‌ای کوتاه» read as part of the header (its occasion); "
                                "if it is a heading, remove the blank line under it"]


def test_header_lines_beyond_the_occasion_and_a_repeated_part_line_are_reported():
    text = BYLINE_AND_TITLE + "به مناسبت سالروز تشکیل حزب\nسخنرانی در تورنتو\nقسمت دوم\nقسمت دوم\n\n" + FIRST + "\n"
    article = parse_text(text, "x", "corpus/x.txt")
    assert (article.occasion, article.part) == ("به مناسبت سالروز تشکیل حزب — سخنرانی در تورنتو", "قسمت دوم")
    assert article.warnings == ["corpus/x.txt:6: «قسمت دوم» dropped: it repeats the part line",
                                "corpus/x.txt:4: «سخنرانی در تورنتو» read as part of the header (its occasion)"]


@pytest.mark.parametrize(("text", "warning"), [
    ("", "corpus/x.txt: empty file; nothing from it is indexed"),
    ("\n  \n[bookmark: _GoBack]\n", "corpus/x.txt: empty file; nothing from it is indexed"),
    ("کارگران نفت\nهفت تپه\n", "corpus/x.txt: no paragraph (every line is short and ends no sentence, "
                                "so all were read as the header); nothing from it is indexed"),
], ids=["empty", "blank lines and an artifact", "no paragraph"])
def test_a_file_with_nothing_to_index_is_reported(text, warning):
    article = parse_text(text, "x", "corpus/x.txt")
    assert article.paragraphs == [] and article.warnings == [warning]


def test_markdown_reports_dropped_lines_and_headings():
    text = "---\ntitle: جنبش کارگری\nاصغر کریمی\n---\n\n## نقش زنان\n\n## نقش خانواده ها\n\nمتن کوتاه.\n\n## پایان\n"
    article = parse_markdown(text, "x", "corpus/x.md")
    assert [(s.heading, s.paragraphs) for s in article.sections] == [("نقش خانواده ها", ["متن کوتاه."])]
    assert article.warnings == [
        "corpus/x.md:3: «اصغر کریمی» dropped: front matter lines are name: value",
        "corpus/x.md:6: heading «نقش زنان» dropped: no paragraph under it",
        "corpus/x.md:12: heading «پایان» dropped: no paragraph under it",
    ]
    unclosed = parse_markdown("---\ntitle: جنبش\n\nمتن کوتاه.\n", "x", "corpus/x.md")
    assert unclosed.warnings == ["corpus/x.md:1: the front matter is never closed with ---; read as text"]
    assert parse_markdown("# جنبش کارگری\n", "x", "corpus/x.md").warnings == [
        "corpus/x.md: no paragraph; nothing from it is indexed"]
