"""The comparison page in a real headless Chromium (Debian's ``chromium``): it renders,
logs no errors, asks for nothing outside the file, and its links reach their sentences."""

from __future__ import annotations

import os
from pathlib import Path

from test_compare import GAZETTE, LEDGER, analyse

from parallax.compare.render import to_html
from tests.browsing import watch_page


def test_the_page_renders_offline_without_errors(browser, tmp_path: Path) -> None:
    comparison, documents = analyse({"Harbour Gazette": GAZETTE, "Northern Ledger": LEDGER})
    page_file = tmp_path / "ferry.html"
    page_file.write_text(to_html(comparison, documents), encoding="utf-8")

    page = browser.new_page(viewport={"width": 1280, "height": 900})
    errors, outside = watch_page(page, ("file:", "data:"))
    page.goto(page_file.as_uri())
    screenshot = Path(os.environ.get("PARALLAX_SCREENSHOTS", tmp_path)) / "compare-ferry.png"
    page.screenshot(path=str(screenshot), full_page=True)

    assert errors == [] and outside == []
    body = page.inner_text("body")
    for expected in ("Harbour Gazette", "Northern Ledger", "Lithuania", "inspection rules"):
        assert expected in body
    assert page.locator("mark").count() > 0
    # Following a fact's link lands on its sentence, marked in the article below.
    link = page.locator('a[href^="#src-"]').first
    target = link.get_attribute("href")
    link.click()
    assert page.evaluate("location.hash") == target
    mark = page.locator(target)
    assert mark.is_visible() and mark.inner_text().strip()
    assert screenshot.stat().st_size > 10_000


def test_the_filters_show_only_the_claim_groups_asked_for(browser, tmp_path: Path) -> None:
    comparison, documents = analyse({"Harbour Gazette": GAZETTE, "Northern Ledger": LEDGER})
    page_file = tmp_path / "ferry.html"
    page_file.write_text(to_html(comparison, documents), encoding="utf-8")
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(page_file.as_uri())
    rows = page.locator("table.claims tr.claim")

    def shown() -> list[str]:
        return [
            rows.nth(n).get_attribute("title") or ""
            for n in range(rows.count())
            if rows.nth(n).is_visible()
        ]

    everything = shown()
    assert len(everything) == len(comparison.facts)
    page.click('label[for="show-differences"]')
    assert shown() == [f.text for f in comparison.facts if f.disputed]
    page.click('label[for="show-shared"]')
    assert shown() == [f.text for f in comparison.facts if f.coverage == "all"]
    page.click('label[for="show-only-1"]')
    only = shown()
    assert only and only == [
        f.text
        for f in comparison.facts
        if f.status == "unique" and f.outlets == ["Northern Ledger"]
    ]
    page.click('label[for="show-all"]')
    assert shown() == everything
