// Tells the page once per session that its Kreis map shows its shapes (issue 12). Until then the page leaves
// out the ranking chart: its Plotly bundle (4.7 MB) would hold the browser's main thread while the map's
// frame waits to be created. If no shapes come within `limit_ms` (no map, a map that failed), it reports anyway.
export default function (component) {
    const { data, setStateValue } = component;
    if (!data || data.shown) return undefined;
    const started = Date.now();
    const mapDrawn = () =>
        [...document.querySelectorAll('iframe[src*="streamlit_folium.st_folium"]')].some((frame) => {
            try {
                return frame.contentDocument.querySelector("path.leaflet-interactive") !== null;
            } catch (error) {
                return false; // a frame of another origin: not ours
            }
        });
    const timer = setInterval(() => {
        if (mapDrawn() || Date.now() - started > data.limit_ms) {
            clearInterval(timer);
            setStateValue("shown", true);
        }
    }, 100);
    return () => clearInterval(timer);
}
