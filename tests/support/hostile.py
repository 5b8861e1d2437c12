"""Hostile but valid text as an uploader could put it into a Quelle, a file name, a header, a key or a value."""

HOSTILE = [
    "![x](http://example.invalid/src.png)",
    '<a href="http://example.invalid/phish">klick</a>',
    "[klick](javascript:alert(1))",
    '<img src="http://example.invalid/img.png">',
    "http://example.invalid/bare https://example.invalid/s www.example.invalid a@example.invalid",
    "<http://example.invalid/angle>",
    "**fett** _kursiv_ ~~weg~~ `code` # Titel",
    "$x^2$ und $$y$$ kosten 5 $",
    ":red[rot] :blue-background[blau] :material/star: :smile: :+1:",
    "&amp; &lt;b&gt; &#60;i&#62;",
    "| a | b |",
    "1. Liste - Punkt > Zitat",
    "C:\\Daten\\meldung_*.csv",
    "# Titel am Anfang",
    "- Punkt am Anfang",
    "12. Mai",
    "__init__ a_b_c_ _x_ a*b*c :small[klein]",
]
