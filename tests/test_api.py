"""The Python API as docs/api.md shows it: every example on that page runs,
with the output it shows, and the package exports what the page names."""

from __future__ import annotations

import dataclasses
import doctest
import inspect
import json
import re

import fasearch
from conftest import ROOT
from fasearch.searching.snippets import render
from fasearch.serve.output import as_dict

API_PAGE = ROOT / "docs" / "api.md"


def test_the_api_page_runs_as_written(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)  # the page writes only into its own temporary folder
    failures, tried = doctest.testfile(str(API_PAGE), module_relative=False, raise_on_error=False,
                                       optionflags=doctest.ELLIPSIS, verbose=False, encoding="utf-8")
    assert tried >= 15 and failures == 0, f"{failures} of {tried} examples of {API_PAGE} failed (see above)"


def test_the_package_exports_the_documented_api():
    page = API_PAGE.read_text("utf-8")
    for name in fasearch.__all__:
        assert hasattr(fasearch, name), name
        if name != "__version__" and name != "OpenIndex":
            assert f"`{name}`" in page or f"fasearch.{name}" in page, f"{name} is not on {API_PAGE.name}"
    errors = {name for name in fasearch.__all__ if name.endswith("Error")}
    assert all(issubclass(getattr(fasearch, name), fasearch.FasearchError) for name in errors)
    assert re.fullmatch(r"\d+\.\d+\.\d+", fasearch.__version__)


def test_search_has_its_own_docstring():
    doc = fasearch.search.__doc__
    assert "_search" not in doc
    for parameter in inspect.signature(fasearch.search).parameters:
        if parameter not in ("ix", "text"):
            assert f"{parameter}:" in doc, parameter
    assert "Returns:" in doc and "Raises:" in doc


def test_hits_are_plain_data_and_say_what_the_json_says(index):
    result = fasearch.search(index, "کارگران نفت", limit=3)
    data = as_dict(result)
    for hit, shown in zip(result.hits, data["hits"], strict=True):
        fields = {f.name for f in dataclasses.fields(hit)}
        assert {"snippet", "window", "highlights", "explain", "text", "matches"} <= fields
        assert not any(callable(getattr(hit, name)) for name in fields)
        assert hit.snippet == shown["snippet"] and [list(s) for s in hit.highlights] == shown["highlights"]
        assert hit.snippet == render(hit.text, hit.highlights, *hit.window)
        assert all(hit.text[a:b] for a, b in hit.highlights)
        json.dumps(dataclasses.asdict(hit), ensure_ascii=False)  # nothing but data
    full = as_dict(result, full=True)["hits"][0]["snippet"]
    assert full.replace("**", "") == result.hits[0].text


def test_an_open_index_closes(tmp_path, engine):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text("عنوان\n\nکارگران نفت اعتصاب کردند.\n", "utf-8")
    fasearch.build_index(corpus, tmp_path / "ix", engine=engine)
    with fasearch.open_index(tmp_path / "ix") as ix:
        assert fasearch.search(ix, "کارگر").total == 1
    ix.close()  # twice is harmless
