"""The generator's version, recorded in every generated package (``_meta.GENERATOR_VERSION``)."""

__version__ = "0.4.0"
