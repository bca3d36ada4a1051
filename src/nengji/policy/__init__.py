"""(reserved for the policy app; see docs/architecture.md)"""
