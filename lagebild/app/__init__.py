"""The Streamlit face of lagebild: the only package that imports streamlit."""
