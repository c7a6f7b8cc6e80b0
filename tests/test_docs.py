"""The documentation's promises that a test can keep: its links lead somewhere,
the README starts with the two commands a fresh clone needs, and stays short.

Links are checked as GitHub renders them: a relative link must name a file of
the checkout, and a ``#fragment`` must name a heading of its page (GitHub's
slug: lower case, punctuation dropped, spaces to hyphens).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PAGES = sorted([ROOT / "README.md", ROOT / "CHANGELOG.md", *(ROOT / "docs").glob("*.md")])
# Written on other branches of the package redesign: a link to one is checked
# once it exists (and skipped, saying so, until then).
WRITTEN_ELSEWHERE = {ROOT / "docs" / "engines.md", ROOT / "docs" / "api.md"}

_FENCE = re.compile(r"^(```|~~~).*?^\1[^\n]*$", re.M | re.S)
_CODE = re.compile(r"`[^`\n]*`")
_LINK = re.compile(r"\]\(([^)\s]+)\)")
_HEADING = re.compile(r"^#{1,6}\s+(.+?)\s*#*\s*$", re.M)


def _prose(text: str) -> str:
    """The text without code blocks and inline code, where a link is not a link."""
    return _CODE.sub("", _FENCE.sub("", text))


def slug(heading: str) -> str:
    """GitHub's anchor for a heading.

    >>> slug("search.py"), slug("The index (3)"), slug("Two engines from 1,000 to 100,000 paragraphs")
    ('searchpy', 'the-index-3', 'two-engines-from-1000-to-100000-paragraphs')
    """
    text = re.sub(r"[`*]|\[|\]\([^)]*\)", "", heading).strip().lower()
    return re.sub(r"[^\w\- ]", "", text).replace(" ", "-")


def anchors(page: Path) -> set[str]:
    """Every heading's anchor on a page, with GitHub's -1, -2 for repeats."""
    seen: dict[str, int] = {}
    out = set()
    for heading in _HEADING.findall(_FENCE.sub("", page.read_text("utf-8"))):
        base = slug(heading)
        n = seen.get(base, 0)
        seen[base] = n + 1
        out.add(base if n == 0 else f"{base}-{n}")
    return out


def links() -> list[tuple[Path, str]]:
    return [(page, target) for page in PAGES for target in _LINK.findall(_prose(page.read_text("utf-8")))
            if not re.match(r"[a-z][a-z0-9+.-]*:", target)]  # http:, https:, mailto: are not files


def test_the_docs_pages_exist():
    names = {p.name for p in (ROOT / "docs").glob("*.md")}
    assert {"cli.md", "query-language.md", "persian-matching.md", "page.md", "relevance.md", "scale.md",
            "errors.md", "design.md"} <= names
    assert (ROOT / "CHANGELOG.md").is_file()


@pytest.mark.parametrize(("page", "target"), links(), ids=lambda v: v.name if isinstance(v, Path) else v)
def test_every_relative_link_resolves(page: Path, target: str):
    path, _, fragment = target.partition("#")
    file = (page.parent / path).resolve() if path else page
    if file in WRITTEN_ELSEWHERE and not file.exists():
        pytest.skip(f"{file.relative_to(ROOT)} is written on another branch")
    assert file.exists(), f"{page.relative_to(ROOT)} links to {target}: no such file"
    if fragment:
        assert file.suffix == ".md", f"{page.relative_to(ROOT)} links to {target}: a fragment of a non-page"
        assert fragment in anchors(file), f"{page.relative_to(ROOT)} links to {target}: no such heading"


def test_a_broken_link_is_caught(tmp_path):
    page = tmp_path / "page.md"
    page.write_text("# Title\n\nSee [this](missing.md), [that](#title), [code](`x`) and `[not](a-link.md)`.\n"
                    "```\n[also not](in-code.md)\n```\n", "utf-8")
    found = _LINK.findall(_prose(page.read_text("utf-8")))
    assert found == ["missing.md", "#title"]
    assert not (tmp_path / "missing.md").exists() and "title" in anchors(page)


def _code_blocks(text: str) -> list[str]:
    return [block.strip() for block in re.findall(r"^```[^\n]*\n(.*?)^```", text, re.M | re.S)]


def test_the_readme_starts_with_set_up_and_test_commands():
    """A fresh clone runs these two: the CI checks them, in this order."""
    readme = (ROOT / "README.md").read_text("utf-8")
    assert _code_blocks(readme)[:2] == ["./setup.sh", "./test.sh"]
    quick_start = readme.index("## Quick start")
    assert quick_start < readme.index("```sh\n./setup.sh") < readme.index("```sh\n./test.sh")


def test_the_readme_stays_a_short_guide():
    """About 250 lines: reference, figures and history live in docs/ and CHANGELOG.md."""
    assert len((ROOT / "README.md").read_text("utf-8").splitlines()) <= 300
