"""Revisions. 0001 is regenerated from models.py until the first release ships."""
