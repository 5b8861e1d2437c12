"""Which addresses count as this machine: the offline checks of the browser tests and the benchmark rely on it."""

import pytest

from lagebild.present.offline import is_local_url


@pytest.mark.parametrize(
    "url",
    [
        "http://localhost:8501/",
        "http://127.0.0.1:35265/static/js/index.js",
        "ws://[::1]:8501/_stcore/stream",
        "http://app.localhost/",
        # Streamlit's frontend starts workers from blob: URLs of its own page; nothing leaves the machine.
        "blob:http://127.0.0.1:35265/2bd28e22-2dd9-415b-9f5f-6ac48ba0a2e0",
        "data:image/png;base64,iVBORw0KGgo=",
    ],
)
def test_addresses_on_this_machine_are_local(url: str) -> None:
    assert is_local_url(url)


@pytest.mark.parametrize(
    "url",
    [
        "https://unpkg.com/leaflet@1.9.4/dist/leaflet.js",
        "https://tile.openstreetmap.org/7/67/44.png",
        "blob:https://cdn.example.org/2bd28e22",
        "http://10.0.0.5:8501/",
        "//cdn.jsdelivr.net/npm/leaflet.js",
    ],
)
def test_addresses_elsewhere_are_not_local(url: str) -> None:
    assert not is_local_url(url)
