"""The texts of 'Erklärung zur Barrierefreiheit' and 'Leichte Sprache' (German, one home for both)."""

from __future__ import annotations

STATEMENT_TITLE = "Erklärung zur Barrierefreiheit"
EASY_TITLE = "Leichte Sprache"

# Date of the self-assessment this statement rests on; renew it with every new assessment.
STATEMENT_DATE = "07.12.2026"

# Where feedback on accessibility goes; the operator sets its own address with LAGEBILD_KONTAKT_BARRIEREFREIHEIT.
DEFAULT_CONTACT = "E-Mail poststelle@sm.bwl.de, Telefon 0711 123-0 (Zentrale des Ministeriums)"

_STATEMENT = f"""
Das Ministerium für Soziales, Gesundheit und Integration Baden-Württemberg ist bemüht, das „Lagebild
Integrationsmanagement BW“ im Einklang mit dem Landes-Behindertengleichstellungsgesetz (L-BGG) barrierefrei
zugänglich zu machen. Maßstab sind die Barrierefreie-Informationstechnik-Verordnung (BITV 2.0) und die
harmonisierte Norm EN 301 549, die auf die Web Content Accessibility Guidelines (WCAG) 2.1, Stufe AA, verweist.
Diese Erklärung gilt für alle Seiten dieser Anwendung.

## Stand der Vereinbarkeit mit den Anforderungen

Die Anwendung ist **teilweise barrierefrei**. Sie ist mit den Anforderungen der BITV 2.0 teilweise vereinbar;
die Ausnahmen stehen im nächsten Abschnitt.

## Nicht barrierefreie Inhalte

- **Karten:** Die Kreise und Gemeinden in den Karten lassen sich nur mit der Maus oder dem Finger anklicken.
  Die Karte ist mit der Tastatur ein einziger Halt (Pfeiltasten verschieben, Plus und Minus zoomen). Denselben
  Kreis wählen Sie mit der Tastatur in der Liste „Kreis wählen“ neben der Karte, dieselbe Gemeinde im Kreisprofil
  in der Liste „Gemeinde wählen“; ein Link „Karte überspringen“ führt jeweils dorthin. Die Farben der Karte beschreibt ein Satz, den Bildschirmleser als Namen der Karte vorlesen.
- **Diagramme:** Diagramme sind Grafiken. Jedes hat einen erzeugten Satz als Textalternative (Titel, letzter
  und höchster Wert); die vollständigen Zahlen stehen in den Tabellen daneben und als CSV oder XLSX im Export.
- **Tabellen:** Streamlit zeichnet Tabellen als Grafik mit eigener Tastatursteuerung. Nicht jeder
  Bildschirmleser liest sie Zelle für Zelle vor. Alle Tabellen gibt es als CSV- und XLSX-Datei.
- **Hinweise beim Überfahren:** Die Zahlen eines Kreises in der Karte erscheinen beim Überfahren mit der Maus.
  Dieselben Zahlen zeigt die Karte des gewählten Kreises neben der Karte.
- **Kreisprofil als PDF:** Das PDF nennt Titel und Sprache (Deutsch), der Betrachter zeigt den Titel an, und
  Lesezeichen führen in Lesereihenfolge zu jedem Abschnitt. Es ist aber kein barrierefreies PDF nach PDF/UA:
  Die verwendete PDF-Bibliothek (ReportLab, quelloffene Fassung) schreibt keine Struktur-Tags; Tabellen und
  Überschriften sind für Bildschirmleser daher nicht als solche ausgezeichnet, Grafiken haben keinen
  Alternativtext im PDF. Die Inhalte stehen vollständig und barrierearm auf der Seite „Kreisprofil“, die Zahlen
  als CSV und XLSX im Export.
- **Texte der Bedienelemente:** Streamlit, Plotly und Leaflet liefern englische Beschriftungen. Die Anwendung
  ersetzt sie beim Laden durch deutsche. Einzelne, selten erscheinende Meldungen dieser Bibliotheken können
  noch englisch sein.
- **Nicht geprüft:** Die Prüfung war eine Selbstbewertung mit dem Werkzeug axe-core und Tastaturtests.
  Eine Prüfung mit Bildschirmlesern (NVDA, JAWS, VoiceOver) und mit Nutzerinnen und Nutzern mit Behinderungen
  steht aus. Eine Fassung in Deutscher Gebärdensprache gibt es noch nicht.

## Erstellung dieser Erklärung

Diese Erklärung wurde am {STATEMENT_DATE} erstellt. Grundlage ist eine Selbstbewertung: automatisierte Prüfung
aller Seiten und Zustände (Karte eines Kreises offen, Filter gesetzt, Export offen) mit axe-core 4.12 nach
WCAG 2.1 A und AA, Bedienung nur mit der Tastatur, Darstellung bei 1.280, 1.024 und 390 Pixeln Breite.
Die automatisierte Prüfung läuft bei jeder Änderung der Anwendung erneut.

## Feedback und Kontakt

Sind Ihnen Mängel beim barrierefreien Zugang aufgefallen? Oder brauchen Sie Informationen aus dieser
Anwendung in einer anderen Form? Dann wenden Sie sich bitte an das Ministerium für Soziales, Gesundheit und
Integration Baden-Württemberg, Else-Josenhans-Straße 6, 70173 Stuttgart, {{CONTACT}}.

## Durchsetzungsverfahren

Wenn Sie auf Ihre Rückmeldung keine zufriedenstellende Antwort erhalten, können Sie sich an die
**Schlichtungsstelle** wenden: die Beauftragte der Landesregierung für die Belange von Menschen mit
Behinderungen (Landes-Behindertenbeauftragte) Baden-Württemberg, Else-Josenhans-Straße 6, 70173 Stuttgart.
Das Schlichtungsverfahren nach dem L-BGG ist kostenlos; Sie brauchen dafür keinen Rechtsbeistand. Ziel ist,
mit den Beteiligten eine Einigung außerhalb eines Gerichts zu finden.
"""


def statement(contact: str | None = None) -> str:
    """The statement with the feedback contact the operator configured (or the ministry's central one)."""
    return _STATEMENT.replace("{CONTACT}", contact or DEFAULT_CONTACT)


_EASY = """
## Was ist das?

Das ist ein Programm im Internet.
Das Programm gehört zum **Ministerium für Soziales, Gesundheit und Integration**.
Das Ministerium ist ein Teil von der Regierung in Baden-Württemberg.

## Worum geht es?

Menschen sind nach Baden-Württemberg geflüchtet.
Zum Beispiel aus der Ukraine.
Diese Menschen bekommen Hilfe und Beratung.
Die Beratung machen **Integrations-Manager** und **Integrations-Managerinnen**.
Sie helfen zum Beispiel bei Ämtern, bei der Wohnung und bei der Schule.

Baden-Württemberg hat 44 **Kreise**.
Ein Kreis ist eine Stadt oder ein Gebiet mit mehreren Gemeinden.
In jedem Kreis gibt es Beraterinnen und Berater.

## Was zeigt das Programm?

Das Programm zählt für jeden Kreis:

- Wie viele geflüchtete Menschen bekommen Beratung?
- Wie viele Beraterinnen und Berater gibt es?

Dann rechnet das Programm:
Wie viele Menschen kommen auf eine Beraterin oder einen Berater?
Diese Zahl heißt **Betreuungs-Schlüssel**.

Ein Beispiel:
In einem Kreis gibt es 300 Menschen und 2 Beraterinnen.
Dann kommen 150 Menschen auf eine Beraterin.

Das Land hat ein Ziel:
Eine Beraterin oder ein Berater soll für höchstens 150 Menschen da sein.

## Die Farben

- **Blau** heißt: Alles ist gut. Es gibt genug Beratung.
- **Orange** heißt: Es gibt zu wenig Beratung.
- **Rot** heißt: Es gibt viel zu wenig Beratung.
- **Grau mit Streifen** heißt: Wir wissen die Zahl nicht.

## Die Seiten

- **Landes-Übersicht:** Hier sehen Sie alle Kreise auf einer Karte. Und Sie sehen: Wo fehlt am meisten Beratung?
- **Personal-Bedarf:** Hier steht: Wie viele Beraterinnen und Berater braucht man noch? Und was kostet das?
- **Kreis-Profil:** Hier sehen Sie einen Kreis genau. Zum Beispiel: Wie viele Menschen sind gekommen?
- **Daten:** Hier kann das Ministerium neue Zahlen in das Programm laden.

## Mit der Tastatur

Sie können das Programm auch ohne Maus benutzen.
Drücken Sie die Taste **Tab**.
Dann springen Sie zum nächsten Feld.
Bei der Karte gibt es den Link **Karte überspringen**.
Dann kommen Sie zur Liste **Kreis wählen**.
Dort wählen Sie einen Kreis mit den Pfeil-Tasten.
Dann drücken Sie die Taste **Enter**.

## Wichtig

Manchmal steht oben: **Beispiel-Daten**.
Dann sind die Zahlen nicht echt.
Die Zahlen sind nur zum Ausprobieren.

## Hilfe

Haben Sie eine Frage?
Oder können Sie etwas nicht lesen?
Dann schreiben Sie an das Ministerium für Soziales, Gesundheit und Integration.
Die Adresse ist: Else-Josenhans-Straße 6, 70173 Stuttgart.
"""


# Leichte Sprache: one sentence a line. Markdown would join the lines, so each ends in a hard break.
EASY = "\n".join(line + "  " if line and not line.startswith(("#", "-")) else line for line in _EASY.splitlines())
