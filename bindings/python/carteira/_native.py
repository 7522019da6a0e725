"""The lifetime of a native object, shared by every class that owns one."""

from __future__ import annotations

from carteira import _lib


class NativeObject:
    """Owns one native handle, freed exactly once: by close(), at the end of a
    with block, or when the object is collected. Calls on a closed object
    raise ValueError.

    Subclasses set ``_name`` (for messages) and ``_destroy`` (the C function
    that frees the handle), and store the handle in ``_ptr``.
    """

    _name = "carteira object"
    _destroy = ""
    _ptr = None

    @property
    def closed(self) -> bool:
        return self._ptr is None

    @property
    def _handle(self):
        if self._ptr is None:
            raise ValueError(f"operation on a closed {self._name}")
        return self._ptr

    def _free(self, ptr) -> None:
        # Looked up at call time: tests may stand a recorder in for _lib.lib.
        getattr(_lib.lib, self._destroy)(ptr)

    def close(self) -> None:
        """Frees the native object; later calls raise ValueError."""
        ptr, self._ptr = getattr(self, "_ptr", None), None
        if ptr:
            self._free(ptr)

    def __enter__(self):
        self._handle  # entering a closed object is an error too
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def __del__(self):
        try:
            self.close()
        except Exception:  # interpreter shutdown may have torn down _lib already
            pass
