"""Reading the real article: header, the six headings, thirteen paragraphs."""

import pytest

from fasearch.article import INTRODUCTION, parse_markdown, parse_text, read_article
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
    text = "---\ntitle: جنبش کارگری\nauthor: نویسنده\npart: قسمت سوم\n---\n\nمقدمه کوتاه.\n\n## نقش زنان\n\nپاراگراف\nدو خطی.\n\nپاراگراف دوم.\n"
    article = parse_markdown(text, "x")
    assert (article.title, article.author, article.part) == ("جنبش کارگری", "نویسنده", "قسمت سوم")
    assert [(s.heading, s.paragraphs) for s in article.sections] == [
        (INTRODUCTION, ["مقدمه کوتاه."]), ("نقش زنان", ["پاراگراف دو خطی.", "پاراگراف دوم."])]
