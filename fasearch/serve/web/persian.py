"""The page's words: Persian digits, and messages from structured results.

The command line keeps its English messages (:func:`fasearch.serve.output.notices`);
the page writes its own from the fields of a result, so no English word
reaches a reader and no bidi run scrambles a sentence.

>>> digits(1375), digits("۱۱ تا 16"), number(12500)
('۱۳۷۵', '۱۱ تا ۱۶', '۱۲٬۵۰۰')
"""

from __future__ import annotations

import re

from ...errors import FasearchError, IndexMissingError

_DIGITS = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")

HTTP_REASONS = {
    400: "درخواست نادرست است.",
    404: "این صفحه پیدا نشد.",
    405: "این روش درخواست پذیرفته نیست.",
    413: "درخواست بیش از اندازه بزرگ است.",
    414: "نشانی این صفحه بیش از اندازه بلند است.",
    431: "سرآیندهای درخواست بیش از اندازه بزرگ‌اند.",
    500: "خطایی پیش‌بینی‌نشده در سرور رخ داد؛ دوباره امتحان کنید.",
    503: "جستجو اکنون در دسترس نیست؛ کمی بعد دوباره امتحان کنید.",
}


def digits(value) -> str:
    """Latin digits written as Persian ones."""
    return str(value).translate(_DIGITS)


def number(value: int) -> str:
    """A count with Persian digits and the Persian thousands separator."""
    return digits(f"{value:,}".replace(",", "٬"))


def reason(code: int) -> str:
    return HTTP_REASONS.get(code, "درخواست انجام نشد.")


def error_message(error: FasearchError) -> str:
    """A search error in Persian (the library's messages are English, for the CLI)."""
    text = str(error)
    if isinstance(error, IndexMissingError):
        return "نمایه خوانده نمی‌شود؛ باید دوباره ساخته شود."
    if found := re.search(r"query is (\d+) characters long; the limit is (\d+)", text):
        return f"پرسش {number(int(found[1]))} نویسه دارد؛ بیشترین اندازه {number(int(found[2]))} نویسه است."
    if found := re.search(r"query has (\d+) words; the limit is (\d+)", text):
        return f"پرسش {number(int(found[1]))} واژه دارد؛ بیشترین اندازه {number(int(found[2]))} واژه است."
    if "no word to search" in text:
        return "در پرسش واژه‌ای برای جستجو نیست؛ یک واژهٔ فارسی یا لاتین بنویسید."
    return "این پرسش را نمی‌توان جستجو کرد."
