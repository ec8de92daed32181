"""The video catalog's domain core: model, validation, rendition rules, transcoder, ports and adapters.

Every architecture (monolith, SOA, microservices, serverless) is a set of entrypoints and
adapters around this package; none of them copies its code.
"""
