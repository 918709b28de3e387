"""Rules as data: ``model`` (their shapes), ``reasons`` (generic wordings, one
module per reason), ``status_codes`` (bare RFC 3463 codes). The assembled
table lives in ``bounce_sink.classify.table``.
"""
