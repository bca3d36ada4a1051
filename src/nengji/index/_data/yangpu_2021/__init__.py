"""Yangpu 2021 index framework, pipeline and demo panel (copies; a test keeps them identical)."""
