"""Accessibility probes the browser tests share: axe-core in every frame, and counting Tab presses."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import axe_playwright_python  # type: ignore[import-untyped]
from playwright.sync_api import Frame, Page

# axe-core as the PyPI package axe-playwright-python ships it (requirements-dev.txt): no download in CI.
AXE_JS = (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text(encoding="utf-8")
BLOCKING = ("serious", "critical")
# The standard BITV 2.0 refers to (EN 301 549): WCAG 2.1 level A and AA, plus axe's best practices.
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]

RUN_AXE = """async (tags) => {
    const result = await axe.run(document, {runOnly: {type: 'tag', values: tags}, iframes: false});
    return result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
        nodes: v.nodes.map(n => n.target.join(' ') + ' :: ' + (n.failureSummary || '').split('\\n')[1])}));
}"""


@dataclass(frozen=True)
class Violation:
    frame: str
    rule: str
    impact: str
    help: str
    nodes: tuple[str, ...]

    def __str__(self) -> str:
        return f"[{self.impact}] {self.rule} in {self.frame}: {self.help}\n    " + "\n    ".join(self.nodes[:6])


def _frame_name(page: Page, frame: Frame) -> str:
    if frame == page.main_frame:
        return "Seite"
    element = frame.frame_element()
    return element.get_attribute("title") or frame.url


def axe_violations(page: Page) -> list[Violation]:
    """Every axe violation in the page and in each of its visible iframes (the maps, the charts' components)."""
    found: list[Violation] = []
    for frame in page.frames:
        if frame != page.main_frame:
            element = frame.frame_element()
            if not element.is_visible():
                continue
        frame.evaluate(AXE_JS)
        for v in frame.evaluate(RUN_AXE, TAGS):
            found.append(Violation(_frame_name(page, frame), v["id"], v["impact"] or "", v["help"], tuple(v["nodes"])))
    return found


def blocking(violations: list[Violation]) -> list[Violation]:
    return [v for v in violations if v.impact in BLOCKING]


FOCUSED = """() => {
    const el = document.activeElement;
    if (!el) return '';
    if (el.tagName === 'IFRAME') return 'iframe:' + (el.title || '');
    return (el.closest('[class*="st-key-"]')?.className.match(/st-key-[\\w-]+/)?.[0] || '') + '|' + el.tagName + '|'
        + (el.getAttribute('aria-label') || el.innerText || '').slice(0, 60).replace(/\\s+/g, ' ');
}"""


def tabs_until(page: Page, predicate: str, limit: int = 200) -> int | None:
    """Tab presses from a freshly loaded page until `predicate(document.activeElement)` holds, or None.

    Presses inside an iframe count too: the map used to take one per Kreis.
    """
    for n in range(1, limit + 1):
        page.keyboard.press("Tab")
        if page.evaluate(f"() => {{ const el = document.activeElement; return !!(el && ({predicate})(el)); }}"):
            return n
    return None
