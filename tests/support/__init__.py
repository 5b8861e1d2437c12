"""Shared test builders."""
