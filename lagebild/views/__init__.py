"""One pure View per page: everything a page, its PDF and its exports say, built once from the page's inputs.

A page file only lays a View out. Views never import streamlit; what they need from the session comes
in as `Data`, which the app layer's Context provides.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Protocol

import pandas as pd

from lagebild.domain import analysis, completeness, planning
from lagebild.domain.selection import Selection
from lagebild.settings import Thresholds


@dataclass(frozen=True)
class Next:
    """A View a user's next switch on a page is likely to ask for: the page's inputs, and a Regierungsbezirk
    filter in place of the sidebar's when given. Built ahead in the background (lagebild.app.cache.prepare)."""

    inputs: dict
    rbs: tuple[str, ...] | None = None


class Data(Protocol):
    """The data and choices of one run: observations, Stand, assumptions, region filter (read-only)."""

    @property
    def obs(self) -> pd.DataFrame: ...

    @property
    def as_of(self) -> date: ...

    @property
    def previous(self) -> date | None: ...

    @property
    def thresholds(self) -> Thresholds: ...

    @property
    def cost_per_fte(self) -> float: ...

    @property
    def is_demo(self) -> bool: ...

    @property
    def selection(self) -> Selection: ...

    @property
    def kreis_keys(self) -> list[str]: ...

    def period(self, months: int) -> analysis.Period | None: ...

    def table(self, as_of: date | None = None, months: int = 3, filtered: bool = False) -> pd.DataFrame: ...

    def sources(self) -> list[str]: ...

    # Derived once per data revision and assumptions (the app layer caches them).
    def meldestand(self) -> completeness.Meldestand: ...

    def recent_arrivals(self) -> planning.RecentArrivals: ...

    def projection(self, scenario: planning.Scenario, months: int = 3) -> planning.Projection: ...

    def band(self, scenario: planning.Scenario, low: float, high: float, months: int = 3) -> planning.Band: ...

    @property
    def region_label(self) -> str: ...

    @property
    def is_filtered(self) -> bool: ...


@dataclass(frozen=True)
class Empty:
    """A page with nothing to show for this filter: its caption, the demo note and why it is empty."""

    caption: str
    demo_note: str | None
    note: str
