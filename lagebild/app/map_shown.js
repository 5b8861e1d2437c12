// Tells the page once per session that its Kreis map shows its shapes (issue 12). Until then the page leaves
// out the ranking chart: its Plotly bundle (4.7 MB) would hold the browser's main thread while the map's
// frame waits to be created. If no shapes come within `limit_ms` (no map, a map that failed), it reports anyway.
//
// It reports only while the app is idle and not leaving the page. The report reruns the fragment this script
// stands in; sent after a click to another page, Streamlit runs that fragment after the new page, under the old
// page's address, and the browser is left with an empty page ("Verbindung zum Server unterbrochen" in the
// journey tests). A link to another page, or the browser's back button, holds the report for `LEAVING_MS`; the
// new page replaces this script before then. If it is still here (a link opened in a new tab), it goes on.
const LEAVING_MS = 3000;

export default function (component) {
    const { data, setStateValue } = component;
    if (!data || data.shown) return undefined;
    const app = document.querySelector('[data-testid="stApp"]');
    const started = Date.now();
    let leftAt = 0;
    const mapDrawn = () =>
        [...document.querySelectorAll('iframe[src*="streamlit_folium.st_folium"]')].some((frame) => {
            try {
                return frame.contentDocument.querySelector("path.leaflet-interactive") !== null;
            } catch (error) {
                return false; // a frame of another origin: not ours
            }
        });
    const onClick = (event) => {
        const link = event.target instanceof Element ? event.target.closest("a[href]") : null;
        if (link && new URL(link.href, window.location.href).pathname !== window.location.pathname) {
            leftAt = Date.now();
        }
    };
    const onHistory = () => {
        leftAt = Date.now();
    };
    document.addEventListener("click", onClick, true); // capture: before Streamlit turns the click into a rerun
    window.addEventListener("popstate", onHistory);
    const idle = () => !app || app.dataset.testScriptState === "notRunning";
    const timer = setInterval(() => {
        if (Date.now() - leftAt < LEAVING_MS || !idle()) return;
        if (mapDrawn() || Date.now() - started > data.limit_ms) {
            clearInterval(timer);
            setStateValue("shown", true);
        }
    }, 100);
    return () => {
        clearInterval(timer);
        document.removeEventListener("click", onClick, true);
        window.removeEventListener("popstate", onHistory);
    };
}
