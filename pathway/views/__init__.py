"""Helpers shared by the blueprints' views."""
