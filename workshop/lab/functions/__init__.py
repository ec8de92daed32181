"""Small Lambda handlers the notebooks deploy to the local AWS to show one behaviour each (not the app)."""
