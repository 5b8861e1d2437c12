"""Builders of the export tests: the Landesübersicht on the demo data as its exports see it, and the Stand it shows."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go

from lagebild import demo, geometry
from lagebild.domain import analysis
from lagebild.domain.regions import regions
from lagebild.export import figure_layout, files
from lagebild.present import charts, fmt, overview
from lagebild.present.classify import Classified, Scheme, classify
from lagebild.settings import Thresholds
from lagebild.store import Store

TODAY = date(2026, 11, 27)
STAND = date(2026, 9, 30)
A4_LANDSCAPE_PT = (841.89, 595.28)
A4_PORTRAIT_PT = (595.28, 841.89)


@dataclass(frozen=True)
class View:
    """The Landesübersicht on the demo data, as the page builds it."""

    obs: pd.DataFrame
    table: pd.DataFrame
    classified: Classified
    meta: files.ExportMeta
    ranking: go.Figure
    map: go.Figure
    frame: pd.DataFrame
    period: analysis.Period


def build_view(folder: Path) -> View:
    """The Landesübersicht on the demo data, seeded into a store in `folder`."""
    url = f"sqlite:///{folder / 'lagebild.sqlite'}"
    store = Store(url)
    demo.seed(store, TODAY)
    obs = store.observations()
    regs, thresholds = regions(), Thresholds()
    period = analysis.Period.ending(analysis.latest_month(obs, STAND), 3)
    table = analysis.kreis_table(obs, regs, STAND, thresholds, 64_000.0, period)
    classified = classify(table, "ratio", Scheme.TARGET_BANDS, thresholds)
    source = charts.source_line(sorted(set(obs["source"])), STAND, True)
    meta = files.export_meta(
        view="Landesübersicht",
        obs=obs,
        keys=regs.kreis_keys,
        as_of=STAND,
        region_label="Baden-Württemberg",
        thresholds=thresholds,
        cost_per_fte=64_000.0,
        demo=True,
        source_line=source,
        attribution=geometry.meta().attribution,
        period_label=fmt.period(period),
        summary="Zwölf Kreise sind kritisch.",
    )
    ranking = charts.ranking(
        table,
        "ratio",
        classified,
        thresholds,
        selected=None,
        source_line=source,
        subtitle="Geflüchtete je VZÄ · Baden-Württemberg · Stand 30.09.2026",
    )
    static_map = figure_layout.kreise_map_figure(
        geometry.layers(),
        classified,
        title="Betreuungsschlüssel der Kreise",
        subtitle="Geflüchtete je VZÄ · Zielwert-Bänder · Stand 30.09.2026",
    )
    frame = overview.ranking_table(table, STAND)
    return View(obs, table, classified, meta, ranking, static_map, frame, period)


def csv_frame(data: bytes) -> pd.DataFrame:
    return pd.read_csv(io.BytesIO(data), sep=";", decimal=",", encoding="utf-8-sig")
