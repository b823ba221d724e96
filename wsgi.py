"""WSGI entry point: gunicorn wsgi:app"""

from pathway import create_app

app = create_app()
