"""Page inputs as specs: the widget and the address codec read the same options, ranges and defaults."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from lagebild.domain import planning
from lagebild.present import fmt
from lagebild.present.classify import Scheme

P_PICKED = "auswahl"  # the one selected Kreis, shared by every page


def plain(number: float) -> str:
    """A number for an address: digits and a decimal point, never an exponent ('70000000', '2.5')."""
    return str(int(number)) if number.is_integer() else f"{number:.6f}".rstrip("0")


@dataclass(frozen=True)
class Choice:
    """One of a fixed list of values, written to the address as a short German token."""

    name: str
    key: str
    label: str
    options: tuple[Any, ...]
    tokens: tuple[str, ...]
    default: Any

    def decode(self, raw: str) -> Any:
        if raw.lower() not in self.tokens:
            raise ValueError(f"{self.label} „{raw}“ in der Adresse nicht erkannt (erlaubt: {', '.join(self.tokens)}).")
        return self.options[self.tokens.index(raw.lower())]

    def encode(self, value: Any) -> str:
        return self.tokens[self.options.index(value)]

    def valid(self, value: Any) -> bool:
        return value in self.options


@dataclass(frozen=True)
class Number:
    """A number in [lo, hi] on a grid of `step`; `default` None means an empty input (the page's own estimate)."""

    name: str
    key: str
    label: str
    lo: float
    hi: float
    step: float
    default: float | None
    integer: bool = True

    def _cast(self, number: float) -> float | int:
        return int(round(number)) if self.integer else float(number)

    def decode(self, raw: str) -> float | int | None:
        try:
            number = float(raw.replace(",", "."))
        except ValueError:
            raise ValueError(f"{self.label} „{raw}“ in der Adresse ist keine Zahl und wurde ignoriert.") from None
        if not self.lo <= number <= self.hi:
            raise ValueError(
                f"{self.label} „{raw}“ in der Adresse liegt außerhalb von {fmt.number(self.lo)} bis "
                f"{fmt.number(self.hi)} und wurde ignoriert."
            )
        # Snap to the widget's grid, so a slider shows the value it was given.
        return self._cast(self.lo + round((number - self.lo) / self.step) * self.step)

    def encode(self, value: Any) -> str:
        return plain(float(value))

    def valid(self, value: Any) -> bool:
        if value is None:
            return self.default is None
        try:
            return self.lo <= float(value) <= self.hi
        except (TypeError, ValueError):
            return False


@dataclass(frozen=True)
class Amount:
    """A whole amount typed in German notation ('64.000'); the widget holds text, the address plain digits.

    `default` is "" (empty: the page uses its own estimate). Text that is not an amount stays in the
    field with the page's error and is left out of the address.
    """

    name: str
    key: str
    label: str
    hi: float
    default: str = ""

    def amount(self, value: str | None) -> float | None:
        """The widget's text as a number; None when it is empty or no amount (the page's own estimate)."""
        return fmt.parse(value or "")

    def decode(self, raw: str) -> str:
        value = fmt.parse(raw)
        if value is None or value > self.hi:
            raise ValueError(
                f"{self.label} „{raw}“ in der Adresse ist kein Betrag von 0 bis {fmt.number(self.hi)} "
                "und wurde ignoriert."
            )
        return fmt.number(value)

    def encode(self, value: Any) -> str:
        amount = fmt.parse(str(value))
        return "" if amount is None else plain(amount)

    def valid(self, value: Any) -> bool:
        return isinstance(value, str)


@dataclass(frozen=True)
class Day:
    """A Stand, written to the address as an ISO date; which Stände exist is known only with the data, so the
    frame snaps it to one (lagebild.app.state.compare_stands). `default` None: the page's own choice."""

    name: str
    key: str
    label: str
    default: None = None

    def decode(self, raw: str) -> date:
        try:
            return date.fromisoformat(raw)
        except ValueError:
            raise ValueError(
                f"{self.label} „{raw}“ in der Adresse ist kein Datum (JJJJ-MM-TT) und wurde ignoriert."
            ) from None

    def encode(self, value: Any) -> str:
        return value.isoformat()

    def valid(self, value: Any) -> bool:
        return value is None or isinstance(value, date)


Param = Choice | Number | Amount | Day


@dataclass(frozen=True)
class PageParams:
    """The inputs of one page that its address carries; `normalise` fixes combinations the widgets forbid."""

    params: tuple[Param, ...]
    normalise: Callable[[dict[str, Any]], dict[str, Any]] | None = None

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(p.key for p in self.params)

    def decode(self, query: Mapping[str, list[str]]) -> tuple[dict[str, Any], list[str]]:
        """Address → widget values (only those the address names) and German notices for the rest."""
        values: dict[str, Any] = {}
        notices: list[str] = []
        for p in self.params:
            raw = [str(item) for item in query.get(p.name, []) if str(item).strip()]
            if not raw:
                continue
            try:
                values[p.key] = p.decode(raw[0].strip())
            except ValueError as problem:
                notices.append(str(problem))
        return values, notices

    def complete(self, values: Mapping[str, Any]) -> dict[str, Any]:
        """Every input with a valid value: the given one, else the default; then the page's own rules."""
        done = {p.key: values[p.key] if p.key in values and p.valid(values[p.key]) else p.default for p in self.params}
        return self.normalise(done) if self.normalise else done

    def encode(self, values: Mapping[str, Any]) -> dict[str, str]:
        """Widget values → query parameters; defaults are left out to keep the address short."""
        encoded = {
            p.name: p.encode(values[p.key])
            for p in self.params
            if values.get(p.key) is not None and values.get(p.key) != p.default
        }
        return {name: text for name, text in encoded.items() if text}


# Landesübersicht: the map's Kennzahl, its classes and the period of the arrivals.
MAP_METRICS = ("ratio", "need_fte", "fte_per_100k", "arrivals_per_1000", "refugees_in_care", "arrivals")
MAP_METRIC = Choice(
    "kennzahl",
    "karte_kennzahl",
    "Kennzahl",
    MAP_METRICS,
    ("schluessel", "bedarf", "vzae_je_100000", "zugaenge_je_1000", "betreuung", "zugaenge"),
    "ratio",
)
SCHEME = Choice(
    "klassen",
    "karte_klassen",
    "Klassen",
    tuple(Scheme),
    ("zielwert", "quantile", "jenks", "intervalle"),
    Scheme.TARGET_BANDS,
)
PERIOD_LABELS = {3: "letzte 3 Monate", 6: "letzte 6 Monate", 12: "letzte 12 Monate"}
PERIOD = Choice("zeitraum", "zeitraum", "Zeitraum der Zugänge", tuple(PERIOD_LABELS), ("3", "6", "12"), 3)
# Target bands are drawn around the target ratio, so they only make sense for the ratio.
NON_RATIO_SCHEME = Scheme.QUANTILES


def schemes_for(metric: str) -> list[Scheme]:
    return list(Scheme) if metric == "ratio" else [s for s in Scheme if s is not Scheme.TARGET_BANDS]


def _overview_rules(values: dict[str, Any]) -> dict[str, Any]:
    if values[SCHEME.key] not in schemes_for(values[MAP_METRIC.key]):
        values[SCHEME.key] = NON_RATIO_SCHEME
    return values


OVERVIEW = PageParams((MAP_METRIC, SCHEME, PERIOD), _overview_rules)

# Personalbedarf: the scenario and the allocation what-if.
HORIZON = Number("horizont", "szenario_horizont", "Horizont", 6, 12, 1, planning.DEFAULT_HORIZON_MONTHS)
ARRIVALS = Amount("zugaenge", "szenario_zugaenge", "Erwartete Zugänge", 1_000_000)
ARRIVALS_LOW = Amount("zugaenge_niedrig", "szenario_zugaenge_niedrig", "Niedrige Zugänge", 1_000_000)
ARRIVALS_HIGH = Amount("zugaenge_hoch", "szenario_zugaenge_hoch", "Hohe Zugänge", 1_000_000)
DISTRIBUTION = Choice(
    "verteilung",
    "szenario_schluessel",
    "Verteilung auf die Kreise",
    tuple(planning.DistributionKey),
    ("einwohner", "zugaenge"),
    planning.DistributionKey.POPULATION,
)
REACH = Number("anteil", "szenario_anteil", "Anteil in Betreuung", 0, 100, 5, round(planning.DEFAULT_REACH_SHARE * 100))
DELAY = Number("verzoegerung", "szenario_verzoegerung", "Verzögerung", 0, 12, 1, planning.DEFAULT_DELAY_MONTHS)
DEPARTURES = Number(
    "abgaenge", "szenario_abgaenge", "Abgänge", 0, 10, 0.5, planning.DEFAULT_DEPARTURE_RATE * 100, integer=False
)
BUDGET = Amount("budget", "verteilung_budget", "Budget", 10_000_000_000)
RULE = Choice(
    "regel",
    "verteilung_regel",
    "Regel",
    tuple(planning.Rule),
    ("einwohner", "betreuung", "zugaenge", "mischung"),
    planning.Rule.POPULATION,
)
BLEND = Number("mischung", "verteilung_mischung", "Mischung", 0, 100, 10, 50)
PLANNER = PageParams(
    (HORIZON, ARRIVALS, ARRIVALS_LOW, ARRIVALS_HIGH, DISTRIBUTION, REACH, DELAY, DEPARTURES, BUDGET, RULE, BLEND)
)

# Vergleich: two Stände and the Kennzahl whose change the map shows.
COMPARE_PAGE = "vergleich"
BEFORE = Day("von", "vergleich_von", "Früherer Stand")
AFTER = Day("bis", "vergleich_bis", "Späterer Stand")
COMPARE_METRIC = Choice(
    MAP_METRIC.name, "vergleich_kennzahl", MAP_METRIC.label, MAP_METRIC.options, MAP_METRIC.tokens, MAP_METRIC.default
)
COMPARE = PageParams((BEFORE, AFTER, COMPARE_METRIC))

# By the url_path of the page in app.py's navigation.
PAGES: dict[str, PageParams] = {"": OVERVIEW, "personalbedarf": PLANNER, COMPARE_PAGE: COMPARE}


def departure_steps() -> list[float]:
    """The select slider's values: the spec's grid from lo to hi."""
    n = int(round((DEPARTURES.hi - DEPARTURES.lo) / DEPARTURES.step))
    return [DEPARTURES.lo + i * DEPARTURES.step for i in range(n + 1)]
