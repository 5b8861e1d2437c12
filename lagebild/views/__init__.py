"""One pure View per page: everything a page, its PDF and its exports say, built once from the page's inputs.

A page file only lays a View out. Views never import streamlit; what they need from the session comes
in as `Data`, which the app layer's Context provides.
"""

from __future__ import annotations

from datetime import date
from typing import Protocol

import pandas as pd

from lagebild import analysis
from lagebild.selection import Selection
from lagebild.settings import Thresholds


class Data(Protocol):
    """The data and choices of one run: observations, Stand, assumptions, region filter."""

    obs: pd.DataFrame
    as_of: date
    previous: date | None
    thresholds: Thresholds
    cost_per_fte: float
    is_demo: bool
    selection: Selection
    kreis_keys: list[str]

    def period(self, months: int) -> analysis.Period | None: ...

    def table(self, as_of: date | None = None, months: int = 3, filtered: bool = False) -> pd.DataFrame: ...

    def sources(self) -> list[str]: ...

    @property
    def region_label(self) -> str: ...

    @property
    def is_filtered(self) -> bool: ...
