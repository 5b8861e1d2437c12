"""The layout check of an exported SVG: every text inside the canvas and clear of every other text.

Boxes are measured by Chromium itself (getBoundingClientRect of each <text>, transforms and
fonts applied), so the check sees what a reader sees, not an estimate of glyph widths.
"""

from __future__ import annotations

from dataclasses import dataclass

from playwright.sync_api import Page

# A deliberate overlay across the whole image, drawn behind the chart; it has to stay on the canvas, nothing more.
WATERMARKS = ("BEISPIELDATEN",)
# Sub-pixel rounding of two boxes that only touch is not an overlap.
TOLERANCE_PX = 0.5

_MEASURE = """
(svgText) => {
  document.body.innerHTML = svgText;
  const svg = document.querySelector('svg');
  const canvas = svg.getBoundingClientRect();
  const view = svg.viewBox.baseVal;
  const k = view && view.width ? canvas.width / view.width : 1;
  const out = [];
  for (const t of svg.querySelectorAll('text')) {
    const text = t.textContent.trim();
    const style = getComputedStyle(t);
    if (!text || style.display === 'none' || style.visibility === 'hidden' || Number(style.opacity) === 0) continue;
    const r = t.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) continue;
    out.push({text, x0: (r.left - canvas.left) / k, y0: (r.top - canvas.top) / k,
              x1: (r.right - canvas.left) / k, y1: (r.bottom - canvas.top) / k});
  }
  return {width: canvas.width / k, height: canvas.height / k, texts: out};
}
"""


@dataclass(frozen=True)
class Box:
    text: str
    x0: float
    y0: float
    x1: float
    y1: float

    def __str__(self) -> str:
        return f"„{self.text[:50]}“ ({self.x0:.0f}, {self.y0:.0f})–({self.x1:.0f}, {self.y1:.0f})"


@dataclass(frozen=True)
class Layout:
    width: float
    height: float
    boxes: list[Box]


def measure(page: Page, svg: bytes) -> Layout:
    """The canvas size and the box of every visible text, in the SVG's own units (its viewBox)."""
    page.set_content("<!doctype html><html><body style='margin:0'></body></html>")
    found = page.evaluate(_MEASURE, svg.decode("utf-8"))
    return Layout(found["width"], found["height"], [Box(**t) for t in found["texts"]])


def problems(layout: Layout) -> list[str]:
    """Every text that leaves the canvas and every pair of texts that overlap, in words."""
    out = []
    for b in layout.boxes:
        if (
            b.x0 < -TOLERANCE_PX
            or b.y0 < -TOLERANCE_PX
            or b.x1 > layout.width + TOLERANCE_PX
            or b.y1 > layout.height + TOLERANCE_PX
        ):
            out.append(f"außerhalb der Fläche {layout.width:.0f} × {layout.height:.0f}: {b}")
    texts = [b for b in layout.boxes if b.text not in WATERMARKS]
    for i, a in enumerate(texts):
        for b in texts[i + 1 :]:
            if min(a.x1, b.x1) - max(a.x0, b.x0) > TOLERANCE_PX and min(a.y1, b.y1) - max(a.y0, b.y0) > TOLERANCE_PX:
                out.append(f"überlappt: {a} und {b}")
    return out
