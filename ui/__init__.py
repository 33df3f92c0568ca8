"""The app's plain Python: rendering, comparison data and exports (Streamlit glue only in ui/state.py)."""
