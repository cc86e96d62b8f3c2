"""The API's views, one module per part of the register (see api/urls.py)."""
