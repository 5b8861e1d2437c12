"""Deterministic demo data for all 44 Kreise: plausible, clearly labelled, never official.

Assumptions (also in data/README.md):
- Arrivals are split over the Kreise by population share (the FlüAG key), times a fixed
  per-Kreis factor (lognormal, σ 0.25) and monthly noise (σ 0.15); Stadtkreise receive
  30 % more refugees from Ukraine, who often found private housing in cities.
- Statewide arrivals from Ukraine follow the 2022 wave (about 45,000 in March 2022,
  decaying to about 1,000 a month); asylum arrivals rise to about 4,000 a month in
  autumn 2023 and fall to about 1,200 a month.
- Refugees in care: a stock at the end of February 2022 of about 60,000, then each month
  55 % of Ukraine arrivals of two months before and 85 % of asylum arrivals of six months
  before reach the counsellors (times a per-Kreis reach factor 0.7–1.3); 2 % leave care
  per month. Reported quarterly.
- Counsellors: about 900 VZÄ in early 2022 allocated by population share times a
  per-Kreis factor (σ 0.2), growing about 8 % after the decree of 11 March 2022; persons =
  VZÄ / part-time factor 0.72–0.85 (about 1,200 persons). Reported quarterly.
- Waldshut has not yet reported refugees in care for the latest quarter, so the app
  shows the previous Stand for it, with its age.
- Gemeinde-level refugees in care for every Gemeinde of Böblingen, Ostalbkreis and
  Tübingen: the Kreis total split by fixed random weights, summing exactly.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from lagebild.domain import access
from lagebild.domain.measures import MEASURES, TOTAL
from lagebild.domain.regions import Regions, regions
from lagebild.settings import DEMO_LABEL
from lagebild.store import ImportMeta, Store, current_user, sha256_of

SEED = 20220311
START = date(2022, 3, 1)
# What a reader sees as the source of every demo figure: plain words, no module name (the seed is in this file).
SOURCE = f"{DEMO_LABEL} (vom Programm erzeugt)"
GEMEINDE_DETAIL_KREISE = ("08115", "08136", "08416")
LATE_REPORTER = "08337"


def last_full_month(today: date) -> date:
    return date(today.year - 1, 12, 1) if today.month == 1 else date(today.year, today.month - 1, 1)


def months(start: date, end: date) -> list[date]:
    return [d.date() for d in pd.date_range(start, end, freq="MS")]


def quarter_ends(first: date, last_month: date) -> list[date]:
    """Quarter-end Stichtage whose quarter is complete by the end of last_month."""
    ends = [d.date() for d in pd.date_range(first, last_month + pd.offsets.MonthEnd(0), freq="QE")]
    return [d for d in ends if d <= (pd.Timestamp(last_month) + pd.offsets.MonthEnd(0)).date()]


def ukraine_statewide(m: date) -> float:
    wave = {
        (2022, 3): 45_000,
        (2022, 4): 35_000,
        (2022, 5): 16_000,
        (2022, 6): 9_000,
        (2022, 7): 6_000,
        (2022, 8): 5_500,
        (2022, 9): 6_000,
        (2022, 10): 7_000,
        (2022, 11): 6_000,
        (2022, 12): 4_500,
    }
    if (m.year, m.month) in wave:
        return wave[(m.year, m.month)]
    since = (m.year - 2023) * 12 + m.month - 1
    return 3_300 * np.exp(-since / 14) + 950


def asyl_statewide(m: date) -> float:
    anchors = [
        (date(2022, 3, 1), 1_900),
        (date(2022, 12, 1), 3_200),
        (date(2023, 10, 1), 4_200),
        (date(2024, 6, 1), 2_500),
        (date(2025, 6, 1), 1_400),
        (date(2027, 1, 1), 1_150),
    ]
    xs = [pd.Timestamp(d).value for d, _ in anchors]
    return float(np.interp(pd.Timestamp(m).value, xs, [v for _, v in anchors]))


def largest_remainder(total: int, weights: np.ndarray) -> np.ndarray:
    raw = weights / weights.sum() * total
    out = np.floor(raw).astype(int)
    out[np.argsort(-(raw - out))[: total - out.sum()]] += 1
    return out


def generate(today: date | None = None, regs: Regions | None = None) -> dict[str, pd.DataFrame]:
    """Rows per measure: columns measure, region, date, grp, value, status, source."""
    regs = regs or regions()
    until = last_full_month(today or date.today())
    rng = np.random.default_rng(SEED)
    kreise = regs.kreise
    keys = [k.key for k in kreise]
    pop = np.array([k.population for k in kreise], dtype=float)
    share = pop / pop.sum()
    is_stadt = np.array([k.kind == "Stadtkreis" for k in kreise])

    pull = rng.lognormal(0, 0.25, len(keys))
    ukr_key = share * pull * np.where(is_stadt, 1.3, 1.0)
    asyl_key = share * pull
    reach = rng.uniform(0.7, 1.3, len(keys))
    alloc = rng.lognormal(0, 0.2, len(keys))
    part_time = rng.uniform(0.72, 0.85, len(keys))

    month_list = months(START, until)
    ukr = np.zeros((len(month_list), len(keys)))
    asy = np.zeros_like(ukr)
    for i, m in enumerate(month_list):
        noise = rng.lognormal(0, 0.15, (2, len(keys)))
        ukr[i] = np.round(ukraine_statewide(m) * ukr_key / ukr_key.sum() * noise[0])
        asy[i] = np.round(asyl_statewide(m) * asyl_key / asyl_key.sum() * noise[1])

    care = 60_000 * share * rng.lognormal(0, 0.2, len(keys))
    care_by_month = {}
    for i, m in enumerate(month_list):
        inflow = 0.55 * (ukr[i - 2] if i >= 2 else 0) + 0.85 * (asy[i - 6] if i >= 6 else asy[0] * 0.8)
        care = care * 0.98 + reach * inflow
        care_by_month[m] = np.round(care)

    def rows(measure: str, entries: list[tuple[str, date, str, float]]) -> pd.DataFrame:
        frame = pd.DataFrame(entries, columns=["region", "date", "grp", "value"])
        frame.insert(0, "measure", measure)
        frame["status"] = None
        frame["source"] = SOURCE
        return frame

    arrivals = [
        (k, m, g, float(v[i, j]))
        for i, m in enumerate(month_list)
        for g, v in (("ukraine", ukr), ("asyl", asy))
        for j, k in enumerate(keys)
    ]

    stichtage = quarter_ends(START, until)
    fte_rows, head_rows, care_rows = [], [], []
    gemeinde_weights = {k: rng.lognormal(0, 0.9, len(regs.gemeinden_of(k))) for k in GEMEINDE_DETAIL_KREISE}
    for q, stichtag in enumerate(stichtage):
        growth = 1.0 + 0.08 * min(1.0, q / 4)
        fte = np.round(900 * share * alloc / (share * alloc).sum() * growth * rng.lognormal(0, 0.02, len(keys)), 1)
        head = np.maximum(np.ceil(fte), np.round(fte / part_time))
        in_care = care_by_month[date(stichtag.year, stichtag.month, 1)]
        for j, k in enumerate(keys):
            fte_rows.append((k, stichtag, TOTAL, float(fte[j])))
            head_rows.append((k, stichtag, TOTAL, float(head[j])))
            if k == LATE_REPORTER and stichtag == stichtage[-1]:
                continue
            care_rows.append((k, stichtag, TOTAL, float(in_care[j])))
            if k in gemeinde_weights and len(gemeinde_weights[k]):
                parts = largest_remainder(int(in_care[j]), gemeinde_weights[k])
                for g, n in zip(regs.gemeinden_of(k), parts, strict=True):
                    care_rows.append((g.key, stichtag, TOTAL, float(n)))

    return {
        "arrivals": rows("arrivals", arrivals),
        "refugees_in_care": rows("refugees_in_care", care_rows),
        "counsellors_fte": rows("counsellors_fte", fte_rows),
        "counsellors_headcount": rows("counsellors_headcount", head_rows),
    }


def seed(store: Store, today: date | None = None) -> list[int] | None:
    """Writes the demo data into an empty store; returns the import ids, or None if not empty."""
    if not store.is_empty():
        return None
    ids = []
    for measure, frame in generate(today).items():
        digest = sha256_of(pd.util.hash_pandas_object(frame, index=False).values.tobytes())
        # No file behind it: the name says what it is, in the words of the Importe table.
        meta = ImportMeta(f"Beispieldaten: {MEASURES[measure].label}", digest, measure, SOURCE, is_demo=True)
        ids.append(store.write_import(frame, meta, access.command_line(current_user())))
    return ids
