"""The region filter and its URL form: a pure codec between query parameters and a Selection."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import Enum

from lagebild.domain.regions import Level, Region, Regions, UnknownRegion
from lagebild.settings import COST_RANGE, TARGET_RANGE

P_RB = "rb"
P_KREIS = "kreis"
P_KIND = "typ"
P_STAND = "stand"
P_TARGET = "ziel"
P_COST = "kosten"
PARAMS = (P_RB, P_KREIS, P_KIND, P_STAND, P_TARGET, P_COST)


class KindFilter(str, Enum):
    ALL = "alle"
    STADT = "stadtkreise"
    LAND = "landkreise"

    @property
    def label(self) -> str:
        return {"alle": "alle Kreise", "stadtkreise": "nur Stadtkreise", "landkreise": "nur Landkreise"}[self.value]

    def admits(self, region: Region) -> bool:
        if self is KindFilter.STADT:
            return region.kind == "Stadtkreis"
        if self is KindFilter.LAND:
            return region.kind == "Landkreis"
        return True


@dataclass(frozen=True)
class Selection:
    """Which Kreise a view shows, and the Stand and assumptions it shows them with."""

    rbs: tuple[str, ...] = ()
    kreise: tuple[str, ...] = ()
    kind: KindFilter = KindFilter.ALL
    stand: date | None = None
    target: float | None = None
    cost: float | None = None

    @property
    def is_whole_land(self) -> bool:
        return not self.rbs and not self.kreise and self.kind is KindFilter.ALL

    def kreis_keys(self, regs: Regions) -> list[str]:
        """Kreise of the chosen RB plus the chosen Kreise (all when neither), by type."""
        if self.rbs or self.kreise:
            chosen = {k.key for rb in self.rbs for k in regs.kreise_of(rb)} | set(self.kreise)
        else:
            chosen = set(regs.kreis_keys)
        return [k.key for k in regs.kreise if k.key in chosen and self.kind.admits(k)]

    def single_kreis(self) -> str | None:
        return self.kreise[0] if len(self.kreise) == 1 and not self.rbs else None

    def label(self, regs: Regions) -> str:
        """'Baden-Württemberg', 'Regierungsbezirk Freiburg', 'Böblingen, Esslingen', … in German."""
        parts = [regs[rb].display_name for rb in self.rbs] + [regs[k].display_name for k in self.kreise]
        text = ", ".join(parts) if parts else "Baden-Württemberg"
        if self.kind is not KindFilter.ALL:
            text += f" ({self.kind.label})"
        return text


@dataclass
class Decoded:
    selection: Selection
    notices: list[str] = field(default_factory=list)


def _values(params: dict[str, list[str]], name: str) -> list[str]:
    """Repeated parameters and comma lists both work: ?kreis=08115&kreis=08116 or ?kreis=08115,08116."""
    return [part.strip() for raw in params.get(name, []) for part in str(raw).split(",") if part.strip()]


def _number(
    params: dict[str, list[str]], name: str, label: str, lo: float, hi: float, notices: list[str]
) -> float | None:
    values = _values(params, name)
    if not values:
        return None
    try:
        number = float(values[0].replace(",", "."))
    except ValueError:
        notices.append(f"{label} „{values[0]}“ in der Adresse ist keine Zahl und wurde ignoriert.")
        return None
    if not lo <= number <= hi:
        notices.append(
            f"{label} „{values[0]}“ in der Adresse liegt außerhalb von {lo:g} bis {hi:g} und wurde ignoriert."
        )
        return None
    return number


def decode(params: dict[str, list[str]], regs: Regions) -> Decoded:
    """Query parameters → Selection; what cannot be understood becomes a German notice and is dropped."""
    notices: list[str] = []
    rbs: list[str] = []
    kreise: list[str] = []
    for raw in _values(params, P_RB) + _values(params, P_KREIS):
        region = regs.lookup(raw)
        if isinstance(region, UnknownRegion):
            notices.append(
                f"Regionalschlüssel in der Adresse nicht erkannt: {region.message}. Gezeigt wird ganz Baden-Württemberg."
            )
            rbs, kreise = [], []
            break
        if region.level is Level.RB:
            rbs.append(region.key)
        elif region.level is Level.KREIS:
            kreise.append(region.key)
        elif region.level is Level.GEMEINDE and region.parent:
            kreise.append(region.parent)
        # The Land key "08" means no filter.
    kind = KindFilter.ALL
    for raw in _values(params, P_KIND)[:1]:
        try:
            kind = KindFilter(raw.lower())
        except ValueError:
            notices.append(f"Kreistyp „{raw}“ in der Adresse nicht erkannt (erlaubt: stadtkreise, landkreise).")
    stand = None
    for raw in _values(params, P_STAND)[:1]:
        try:
            stand = date.fromisoformat(raw)
        except ValueError:
            notices.append(
                f"Stand „{raw}“ in der Adresse ist kein Datum der Form JJJJ-MM-TT; gezeigt wird der neueste Stand."
            )
    target = _number(params, P_TARGET, "Zielwert", *TARGET_RANGE, notices)
    cost = _number(params, P_COST, "Kosten je VZÄ", *COST_RANGE, notices)
    selection = Selection(tuple(dict.fromkeys(rbs)), tuple(dict.fromkeys(kreise)), kind, stand, target, cost)
    return Decoded(selection, notices)


def decode_kreis(raw: list[str], regs: Regions) -> tuple[str | None, str | None]:
    """The selected Kreis from the address (a Gemeinde key stands for its Kreis), or a German notice."""
    values = _values({"x": raw}, "x")
    if not values:
        return None, None
    region = regs.lookup(values[0])
    if isinstance(region, UnknownRegion):
        return None, f"Ausgewählter Kreis in der Adresse nicht erkannt: {region.message}."
    if region.level is Level.KREIS:
        return region.key, None
    if region.level is Level.GEMEINDE and region.parent:
        return region.parent, None
    return None, f"„{values[0]}“ in der Adresse ist kein Kreis ({region.display_name}); es ist kein Kreis ausgewählt."


def encode(selection: Selection) -> dict[str, str]:
    """Selection → query parameters; keys, not names; defaults left out to keep the address short."""
    params: dict[str, str] = {}
    if selection.rbs:
        params[P_RB] = ",".join(selection.rbs)
    if selection.kreise:
        params[P_KREIS] = ",".join(selection.kreise)
    if selection.kind is not KindFilter.ALL:
        params[P_KIND] = selection.kind.value
    if selection.stand:
        params[P_STAND] = selection.stand.isoformat()
    if selection.target is not None:
        params[P_TARGET] = f"{selection.target:g}"
    if selection.cost is not None:
        params[P_COST] = f"{selection.cost:g}"
    return params
