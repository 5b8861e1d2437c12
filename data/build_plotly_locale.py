"""Write lagebild/present/plotly_locale_de.json from the npm package plotly.js-locales (its de.js), pinned.

Streamlit's own Plotly bundle has no German locale registered; Plotly's config accepts one as data
(`config.locales`), so the app passes this file's content with every chart and loads nothing from a CDN.
Run once per version change: python data/build_plotly_locale.py (needs npm and node).
"""

from __future__ import annotations

import json
import subprocess
import tarfile
import tempfile
from pathlib import Path

PACKAGE = "plotly.js-locales@3.7.0"
OUT = Path(__file__).resolve().parents[1] / "lagebild" / "present" / "plotly_locale_de.json"


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        name = (
            subprocess.run(["npm", "pack", PACKAGE, "--silent"], cwd=tmp, check=True, capture_output=True, text=True)
            .stdout.strip()
            .splitlines()[-1]
        )
        with tarfile.open(Path(tmp) / name) as tar:
            tar.extract("package/de.js", tmp, filter="data")
        module = Path(tmp) / "package" / "de.js"
        locale = json.loads(
            subprocess.run(
                ["node", "-e", f"process.stdout.write(JSON.stringify(require({json.dumps(str(module))})))"],
                check=True,
                capture_output=True,
                text=True,
            ).stdout
        )
    locale = {"source": f"npm {PACKAGE}, de.js (MIT)", "dictionary": locale["dictionary"], "format": locale["format"]}
    OUT.write_text(json.dumps(locale, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"{OUT}: {len(locale['dictionary'])} Texte")


if __name__ == "__main__":
    main()
