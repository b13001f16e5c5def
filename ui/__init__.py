"""Shared Streamlit helpers (the only UI module the pages share)."""
