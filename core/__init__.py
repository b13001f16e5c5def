"""Plain-Python core of the dashboard for Leerkes, Galloway & Kromhout (2011).

Nothing in this package imports Streamlit: every number a page shows can be computed here.
"""
