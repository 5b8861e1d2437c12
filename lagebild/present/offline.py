"""Make folium maps load Leaflet from the app's own server instead of public CDNs."""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import branca.colormap
import branca.element
import folium
import folium.elements
from xstatic.pkg import leaflet as xstatic_leaflet  # type: ignore[import-untyped]

ASSET_DIR: Path = Path(xstatic_leaflet.BASE_DIR)

# folium's link names (see folium.folium._default_js/_default_css) → file in ASSET_DIR.
# leaflet.css finds its images (layer switcher, default marker) relative to itself,
# so serving the whole directory keeps those working as well.
LOCAL_ASSETS: dict[str, str] = {
    "leaflet": "leaflet.js",
    "leaflet_css": "leaflet.css",
}

# Links folium's Map adds by default that only markers, Popups and Bootstrap styling
# use. GeoJson layers with tooltips, style and highlight functions need none of them,
# and the elements that do are refused in `_refuse_unsupported`, so dropping is safe.
UNNEEDED_ASSETS: frozenset[str] = frozenset(
    {
        "jquery",
        "bootstrap",
        "awesome_markers",
        "bootstrap_css",
        "glyphicons_css",
        "awesome_markers_font_css",
        "awesome_markers_css",
        "awesome_rotate_css",
    }
)

LOCAL_HOSTS: frozenset[str] = frozenset({"localhost", "0.0.0.0"})

_ANCHOR_HREF = re.compile(r"""(<a\b[^>]*?)\s+href\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>]+)""", re.IGNORECASE)
_ABSOLUTE_URL = re.compile(r"""https?://[^\s"'`<>()\\]+""", re.IGNORECASE)
_PROTOCOL_RELATIVE_URL = re.compile(
    r"""(?:\b(?:src|href)\s*=\s*["']?|url\(\s*["']?)(//[^\s"'`<>()\\]+)""", re.IGNORECASE
)
_NAMESPACE_PREFIX = "http://www.w3.org/"


class OfflineAssetError(ValueError):
    """A map element needs a script or style that the app does not serve itself."""


def localize(m: folium.Map, base_url: str) -> folium.Map:
    """Point every script and style of `m` at `base_url` + file name; changes `m` in place.

    `base_url` is where ASSET_DIR is served, e.g. the value of
    `lagebild.app.cache.offline_asset_base_url()`. Raises OfflineAssetError for elements
    whose scripts are not served locally, rather than letting them reach for a CDN.
    Tile layers are left as configured: base tiles are optional, and a tile server
    on the ministry network is as good as a local one.
    """
    if not base_url.endswith("/"):
        base_url += "/"
    elements = list(_walk(m))
    problems = [p for element in elements for p in _refuse_unsupported(element)]
    replaced: set[str] = set()
    for element in elements:
        if not isinstance(element, folium.elements.JSCSSMixin):
            continue
        # Instance attributes on purpose: folium's add_js_link/add_css_link mutate the
        # class-level lists that every other Map shares.
        element.default_js, js_problems = _local_links(element, element.default_js, base_url)
        element.default_css, css_problems = _local_links(element, element.default_css, base_url)
        problems += js_problems + css_problems
        replaced.update(name for name, _ in element.default_js + element.default_css)
    if problems:
        raise OfflineAssetError("Map cannot be shown offline:\n- " + "\n- ".join(dict.fromkeys(problems)))
    _forget_rendered_links(m, UNNEEDED_ASSETS | replaced)
    return m


def external_urls(html: str) -> list[str]:
    """http(s) addresses in `html` whose host is not this machine, first occurrence order.

    Hyperlinks (`<a href>`) are left out because a browser only follows them on a
    click (Leaflet's own attribution links to leafletjs.com), and so are XML namespace
    names such as http://www.w3.org/2000/svg, which are identifiers, never fetched.
    Protocol-relative addresses (`//host/…`) count where they load something: in
    src/href attributes and CSS url().
    """
    text = _ANCHOR_HREF.sub(r"\1", html)
    found = [m.group(0) for m in _ABSOLUTE_URL.finditer(text)]
    found += ["https:" + m.group(1) for m in _PROTOCOL_RELATIVE_URL.finditer(text)]
    urls = [url.rstrip(".,;") for url in found if not url.startswith(_NAMESPACE_PREFIX)]
    return list(dict.fromkeys(url for url in urls if not is_local_url(url)))


def is_local_url(url: str) -> bool:
    """True when `url` points at this machine (localhost or a loopback address). A `blob:` URL is local when the
    page that made it is; a `data:` URL carries its content and fetches nothing."""
    parts = urlsplit(url)
    if parts.scheme == "data":
        return True
    if parts.scheme == "blob":
        return is_local_url(url[len("blob:") :])
    host = (parts.hostname or "").lower()
    if host in LOCAL_HOSTS or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _walk(element: branca.element.Element) -> Iterator[branca.element.Element]:
    yield element
    for child in element._children.values():
        yield from _walk(child)


def _local_links(
    element: folium.elements.JSCSSMixin, links: list[tuple[str, str]], base_url: str
) -> tuple[list[tuple[str, str]], list[str]]:
    kept, problems = [], []
    for name, url in links:
        if name in LOCAL_ASSETS:
            kept.append((name, base_url + LOCAL_ASSETS[name]))
        elif name in UNNEEDED_ASSETS:
            continue
        elif not urlsplit(url).netloc or is_local_url(url):
            kept.append((name, url))  # already served by this machine
        else:
            problems.append(f"{type(element).__name__} needs {name!r} from {url}, which is not served locally")
    return kept, problems


def _refuse_unsupported(element: branca.element.Element) -> list[str]:
    # These render code that needs d3, jQuery or awesome-markers although they do not
    # (or not only) list them in default_js, so a link check alone would miss them.
    if isinstance(element, branca.colormap.ColorMap):
        # streamlit-folium adds d3 from two CDNs for any colormap it finds.
        return ["branca colormap legends load d3 from a CDN; draw the legend outside the map"]
    if isinstance(element, folium.Icon) and not isinstance(element, folium.CustomIcon):
        return ["folium.Icon needs Leaflet.awesome-markers; use GeoJson styling instead"]
    if isinstance(element, folium.Popup):
        return ["folium.Popup needs jQuery; use a Tooltip or GeoJsonPopup instead"]
    if isinstance(element, folium.GeoJson) and not element.embed:
        return ["GeoJson(embed=False) loads its data with jQuery; embed the data"]
    if isinstance(element, folium.Map) and element.objects_to_stay_in_front:
        return ["Map.keep_in_front needs jQuery"]
    return []


def _forget_rendered_links(m: folium.Map, names: set[str] | frozenset[str]) -> None:
    # A map rendered before localize() keeps the CDN <script>/<link> tags in its
    # figure header under these names; the next render re-adds only the local ones.
    root = m.get_root()
    if isinstance(root, branca.element.Figure):
        for name in names:
            root.header._children.pop(name, None)
