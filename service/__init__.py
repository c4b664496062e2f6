"""Tlumach: a gRPC service that translates news between English, Ukrainian and Russian."""

__version__ = "0.1.0"
