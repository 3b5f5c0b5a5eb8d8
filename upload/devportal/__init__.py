"""A reference implementation of docs/portal-api.md for tests and demos (`python -m upload.devportal`).

Needs the `devportal` extra (FastAPI, uvicorn, tuspyserver); SoHoa itself never imports it.
"""
