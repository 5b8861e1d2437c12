"""Lagebild Integrationsmanagement Baden-Württemberg: Domänenlogik ohne Streamlit."""
