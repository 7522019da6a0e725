"""The binding's own version; its major must equal the loaded library's."""

__version__ = "0.1.0"
MAJOR = int(__version__.split(".")[0])
