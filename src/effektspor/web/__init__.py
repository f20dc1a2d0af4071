"""The web app (FastAPI): create_app(settings), routers, templates, static files."""
