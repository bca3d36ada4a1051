"""(reserved for the techrights app; see docs/architecture.md)"""
