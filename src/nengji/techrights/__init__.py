"""Technology achievements, the append-only rights register (技术权益登记), transactions,
technology contracts (技术合同认定登记) and signed certificates anyone can verify (一证通用).

See docs/techrights.md.
"""
