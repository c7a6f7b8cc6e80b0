"""The search page: HTTP tests on a free port, and a real browser (Debian's chromium)."""

import json
import os
import shutil
import threading
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from conftest import ARTICLE, ROOT
from fasearch.indexing import build_index, open_index
from fasearch.output import as_dict
from fasearch.searching import search
from fasearch.web import create_app

PAYLOAD = '<script>alert("x")</script>"><img src=x onerror=alert(1)>'
HOSTILE = f"---\ntitle: {PAYLOAD}\n---\n\n## {PAYLOAD}\n\nزنبورستان {PAYLOAD} پایان.\n"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("web")
    corpus = folder / "corpus"
    corpus.mkdir()
    shutil.copy(ARTICLE, corpus / ARTICLE.name)
    (corpus / "hostile.md").write_text(HOSTILE, "utf-8")
    build_index(corpus, folder / "index")
    httpd = make_server("127.0.0.1", 0, create_app(folder / "index"), threaded=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}", folder / "index"
    httpd.shutdown()
    thread.join(5)


def get(base, path, **params):
    url = base + path + ("?" + urllib.parse.urlencode(params) if params else "")
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, response.headers.get("Content-Type", ""), response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("Content-Type", ""), error.read().decode("utf-8")


def test_page_is_rtl_and_persian(server):
    status, kind, html = get(server[0], "/")
    assert status == 200 and kind.startswith("text/html")
    assert '<html lang="fa" dir="rtl">' in html and 'name="q"' in html


def test_search_page_shows_hits_highlights_and_facets(server):
    status, _, html = get(server[0], "/", q="هفت‌تپه")
    assert status == 200
    assert "<mark>هفت تپه</mark>" in html  # both words, whole, in one highlight
    assert html.count('<li class="hit">') == 3
    assert "پاراگراف 4" in html and "حزب کمونیست کارگری و جنبش کارگری" in html
    assert 'نقش خانواده ها</a> <span class="n">1</span>' in html


def test_deep_link_with_section_and_paging(server):
    _, _, first = get(server[0], "/", q="کارگر")
    assert first.count('<li class="hit">') == 10 and 'page=2' in first
    _, _, second = get(server[0], "/", q="کارگر", page="2")
    assert second.count('<li class="hit">') == 3 and '<ol class="hits" start="11">' in second
    _, _, filtered = get(server[0], "/", q="کارگر", section="خانواده")
    assert filtered.count('<li class="hit">') == 3


def test_notices_did_you_mean_and_fallback(server):
    _, _, html = get(server[0], "/", q="کمونیزم")
    assert "showing results for «کمونیسم»" in html
    _, _, html = get(server[0], "/", q="نفت تلویزیون")
    assert "showing paragraphs with any of them" in html


def test_api_returns_the_same_json_as_the_cli(server):
    status, kind, body = get(server[0], "/api/search", q="کارگران نفت")
    assert status == 200 and kind == "application/json"
    expected = as_dict(search(open_index(server[1]), "کارگران نفت"))
    assert json.loads(body) == json.loads(json.dumps(expected))


@pytest.mark.parametrize("query", [PAYLOAD, "<b>کارگر</b>", '" onmouseover="alert(1)', "زنبورستان"])
def test_user_strings_are_escaped(server, query):
    status, _, html = get(server[0], "/", q=query)
    assert status == 200
    for raw in ("<script>alert", "<img src=x", 'onmouseover="alert', "<b>کارگر"):
        assert raw not in html


def test_paragraph_from_the_corpus_is_escaped(server):
    _, _, html = get(server[0], "/", q="زنبورستان")
    assert "<mark>زنبورستان</mark>" in html
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in html and "<script>alert" not in html
    _, _, body = get(server[0], "/api/search", q="زنبورستان")
    assert json.loads(body)["hits"][0]["text"].startswith("زنبورستان <script>")  # JSON keeps the text


def test_long_query_is_refused(server):
    status, _, html = get(server[0], "/", q="ک" * 5000)
    assert status == 400 and "the limit is 2000" in html
    status, _, body = get(server[0], "/api/search", q="ک" * 5000)
    assert status == 400 and "error" in json.loads(body)


@pytest.mark.parametrize("path", ["/static/../web.py", "/static/%2e%2e/web.py", "/static/..%2fweb.py",
                                  "/static//etc/passwd", "/nothing-here"])
def test_no_escape_from_the_static_folder(server, path):
    status, _, html = get(server[0], path)
    assert status == 404 and "Traceback" not in html and "import" not in html


def test_font_is_served_locally(server):
    status, kind, _ = get(server[0], "/font.ttf")
    assert (status, kind) == (200, "font/ttf") or status == 404  # 404 only without fonts-farsiweb
    if Path("/usr/share/fonts/truetype/farsiweb/nazli.ttf").exists():
        assert status == 200


# --- a real browser -----------------------------------------------------------------

CHROMIUM, CHROMEDRIVER = Path("/usr/bin/chromium"), Path("/usr/bin/chromedriver")


@pytest.fixture(scope="module")
def browser():
    if not (CHROMIUM.exists() and CHROMEDRIVER.exists()):
        if os.environ.get("CI"):
            pytest.fail("CI must have Debian's chromium and chromium-driver (.ci/run installs them)")
        pytest.skip("Debian's chromium and chromium-driver are not installed")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--window-size=1200,900"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    yield driver
    driver.quit()


def test_browser_types_a_query_and_sees_highlighted_hits(server, browser):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as EC
    from selenium.webdriver.support.ui import WebDriverWait

    browser.get(server[0] + "/")
    box = browser.find_element(By.NAME, "q")
    box.send_keys("كارگران نفت")  # Arabic kaf, as a user may type it
    box.submit()
    WebDriverWait(browser, 20).until(EC.presence_of_element_located((By.CSS_SELECTOR, "li.hit")))
    hits = browser.find_elements(By.CSS_SELECTOR, "li.hit")
    assert len(hits) == 2
    marks = [m.text for m in browser.find_elements(By.CSS_SELECTOR, "li.hit mark")]
    assert "کارگران" in marks and "نفت" in marks
    words = set(browser.find_element(By.CSS_SELECTOR, "li.hit .snippet").text.replace("…", " ").split())
    assert all(set(mark.split()) <= words | {w.strip("،.؟") for w in words} for mark in marks)
    assert browser.execute_script("return getComputedStyle(document.body).direction") == "rtl"
    artifacts = ROOT / "tests" / "artifacts"
    artifacts.mkdir(exist_ok=True)
    assert browser.save_screenshot(str(artifacts / "search-page.png"))
