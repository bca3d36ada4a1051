"""(reserved for the vouchers app; see docs/architecture.md)"""
