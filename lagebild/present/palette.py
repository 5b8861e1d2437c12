"""Colours shared by the theme, the map and the charts; all colour-blind-safe (ColorBrewer)."""

from __future__ import annotations

from lagebild.domain.measures import Status

PRIMARY = "#2166ac"
TEXT = "#1f2937"
MUTED = "#6b7280"
BORDER_KREIS = "#ffffff"
BORDER_RB = "#1f2937"
SELECTED = "#111827"
# The range of a projection (low to high arrivals) behind its expected line: PRIMARY, light.
BAND = "rgba(33, 102, 172, 0.18)"

# RdBu around the target: blue within target, red above it.
STATUS_COLOURS = {
    Status.OK: "#67a9cf",
    Status.ELEVATED: "#fdae61",
    Status.CRITICAL: "#d6604d",
    Status.NO_CAPACITY: "#67001f",
    Status.NO_DATA: "#e5e7eb",
}
NO_DATA_BORDER = "#6b7280"
SUPPRESSED = "#9ca3af"  # a Gemeinde whose figure is gesperrt (x): apart from every class and from "keine Daten"

# Diverging RdBu (8 classes without the neutral centre): blues below the target, reds above.
BLUES = ["#2166ac", "#4393c3", "#92c5de", "#d1e5f0"]  # dark (far below) to light (near the target)
REDS = ["#fddbc7", "#f4a582", "#d6604d", "#b2182b"]  # light (near the target) to dark (far above)
# Sequential YlGnBu (ColorBrewer), light = low; OrRd for quantities where more is worse.
SEQUENTIAL = ["#ffffcc", "#a1dab4", "#41b6c4", "#2c7fb8", "#253494"]
SEQUENTIAL_WORSE = ["#fef0d9", "#fdcc8a", "#fc8d59", "#e34a33", "#b30000"]

GROUP_COLOURS = {"ukraine": "#2c7fb8", "asyl": "#fdae61"}


def sequential(n: int, worse: bool = True) -> list[str]:
    return _spread(SEQUENTIAL_WORSE if worse else SEQUENTIAL, n)


def _spread(colours: list[str], n: int) -> list[str]:
    if n <= 0:
        return []
    if n >= len(colours):
        return colours + [colours[-1]] * (n - len(colours))
    step = (len(colours) - 1) / max(n - 1, 1)
    return [colours[round(i * step)] for i in range(n)] if n > 1 else [colours[0]]


def diverging(n_below: int, n_above: int) -> list[str]:
    """n_below blues ending light at the target, n_above reds starting light after it."""
    blues = _spread(BLUES[::-1], n_below)[::-1]
    return blues + _spread(REDS, n_above)


# RdBu's centre, for "no change" in a scale diverging around zero.
NEUTRAL = "#f7f7f7"
# A change without a value at one of two Stände: a grey well apart from NEUTRAL, also in a static map without hatching.
NO_CHANGE_VALUE = "#b6bcc6"


def around_zero(n_negative: int, n_positive: int, negative_is_worse: bool = True) -> list[str]:
    """Colours from the most negative class to the most positive, without the neutral centre.

    Red for the worse side and blue for the better one, darker the further from zero.
    """
    worse = _spread(REDS, n_negative if negative_is_worse else n_positive)  # light to dark
    better = _spread(BLUES[::-1], n_positive if negative_is_worse else n_negative)  # light to dark
    if negative_is_worse:
        return worse[::-1] + better
    return better[::-1] + worse
