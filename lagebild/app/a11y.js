// Accessibility of the Streamlit frame the app cannot set from Python (issue 14): page language,
// German names for Streamlit's own controls, a focus ring, and German names for the map iframes.
export default function (component) {
    const doc = document;
    if (doc.documentElement.lang !== "de") doc.documentElement.lang = "de";
    // The styles also go into <head> once: a style element drawn by a run is briefly gone while a rerun redraws
    // the page, and captions would fall back to Streamlit's faint grey (4.0:1) in between.
    const css = component && component.data && component.data.css;
    if (css && !doc.getElementById("lb-a11y-css")) {
        const style = doc.createElement("style");
        style.id = "lb-a11y-css";
        style.textContent = css;
        doc.head.append(style);
    }
    if (window.__lagebildA11y) return;
    window.__lagebildA11y = true;

    // Streamlit's frontend speaks English; these are the names a screen reader announces.
    const NAMES = {
        "Skip to main content": "Zum Hauptinhalt springen",
        "Collapse sidebar": "Seitenleiste einklappen",
        "Expand sidebar": "Seitenleiste ausklappen",
        "Link to heading": "Link zu dieser Überschrift",
        "Open": "Auswahlliste öffnen",
        "Clear all": "Auswahl leeren",
        "Clear value": "Eingabe leeren",
        "Decrement": "Verringern",
        "Increment": "Erhöhen",
        "Download as CSV": "Als CSV herunterladen",
        "Search": "Suchen",
        "Fullscreen": "Vollbild",
        "Close fullscreen": "Vollbild schließen",
        "Show/hide columns": "Spalten ein- oder ausblenden",
        "Show password text": "Passwort zeigen",
        "Main menu": "Hauptmenü",
        "App pages": "Seiten der App",
        "Sidebar": "Seitenleiste",
        "Close": "Schließen",
        "Dismiss": "Liste schließen",
        "Expand": "Vergrößern",
        "Show data": "Daten zeigen",
        "Copy to clipboard": "In die Zwischenablage kopieren",
        "Browse files": "Dateien auswählen",
        "Remove": "Entfernen",
        "Upload": "Hochladen",
    };
    const PREFIXES = [["Help for ", "Hilfe zu "], ["Remove ", "Entfernen: "]];
    const translate = (text) => {
        if (!text) return null;
        const t = text.trim();
        if (NAMES[t]) return NAMES[t];
        for (const [en, de] of PREFIXES) if (t.startsWith(en)) return de + t.slice(en.length);
        return null;
    };
    const fix = (el) => {
        for (const attr of ["aria-label", "title"]) {
            const german = translate(el.getAttribute(attr));
            if (german) el.setAttribute(attr, german);
        }
        if (el.tagName === "A" && el.childElementCount === 0) {
            const german = translate(el.textContent);
            if (german) el.textContent = german;
        }
        if (el.closest && el.closest("[data-testid='stFileUploader']")) uploader(el);
        if (el.tagName === "IFRAME" && (el.dataset.lbMap || (el.title || "").startsWith("streamlit_folium"))) titleMap(el);
        if (el.tagName === "IFRAME" && !el.title) el.setAttribute("title", "Eingebettetes Element");
    };
    // The file uploader's own texts; its button is named by a <p> that axe and some readers miss.
    const UPLOADER = [[/^Drag and drop files? here$/, "Datei hierher ziehen und ablegen"],
                      [/^Limit (\S+) per file(.*)$/, "Höchstens $1 je Datei$2"], [/^Upload$/, "Datei auswählen"],
                      [/^Browse files$/, "Datei auswählen"]];
    const uploader = (el) => {
        if (el.tagName === "BUTTON" && el.getAttribute("aria-label") !== "Datei auswählen") {
            el.setAttribute("aria-label", "Datei auswählen");
        }
        if (el.childElementCount !== 0 || !el.textContent) return;
        for (const [en, de] of UPLOADER) {
            if (en.test(el.textContent.trim())) { el.textContent = el.textContent.trim().replace(en, de); return; }
        }
    };
    // A map iframe is named after the sentence the page puts beside it (`.lb-map-name` in the same block).
    const titleMap = (frame) => {
        const block = frame.closest("[data-testid='stVerticalBlock']");
        const name = block && block.querySelector(".lb-map-name");
        const title = name ? name.textContent.trim() : "Karte";
        frame.dataset.lbMap = "1";
        // Only a change is written: an unchanged write is still a mutation, and the observer would loop.
        if (frame.getAttribute("title") !== title) frame.setAttribute("title", title);
    };
    const sweep = (root) => {
        if (root.nodeType !== 1) return;
        fix(root);
        root.querySelectorAll("[aria-label],[title],a,iframe,[data-testid='stFileUploader'] *").forEach(fix);
    };
    const observer = new MutationObserver((mutations) => {
        for (const m of mutations) {
            if (m.type === "characterData") {
                if (m.target.parentElement) fix(m.target.parentElement);
            } else if (m.type === "attributes") {
                if (m.target === doc.documentElement) {
                    if (doc.documentElement.lang !== "de") doc.documentElement.lang = "de";
                } else fix(m.target);
            } else m.addedNodes.forEach(sweep);
        }
        // A new metric changes the sentence beside a map that stays mounted.
        doc.querySelectorAll("iframe[data-lb-map]").forEach(titleMap);
    });
    observer.observe(doc.documentElement, {subtree: true, childList: true, attributes: true,
                                           attributeFilter: ["lang", "aria-label", "title"], characterData: true});
    sweep(doc.body);

    // "Karte überspringen": focus the element the link names, as a fragment link would in a static page.
    doc.addEventListener("click", (event) => {
        const link = event.target.closest && event.target.closest("a.lb-skip");
        if (!link) return;
        event.preventDefault();
        const target = doc.querySelector(link.dataset.target);
        const focusable = target && (target.matches("input,button,a,[tabindex]") ? target
            : target.querySelector("input,button,a[href],[tabindex='0']"));
        if (focusable) { focusable.focus(); focusable.scrollIntoView({block: "center"}); }
    });
}
