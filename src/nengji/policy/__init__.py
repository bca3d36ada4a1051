"""The “1+6+4” policy system: the catalogue as data, explainable eligibility matching,
applications through to payment, and the financing instruments (loan risk-compensation pool,
policy finance products)."""
