"""The sandbox a check's ``run`` half executes in, and the plain data it may hand back.

`confine` is called by a forked child just before it imports student code: resource limits (address space,
CPU time, file size) and, where the kernel offers Landlock, no writes outside one scratch folder, so student
code cannot touch the gradebook, the hidden checks or another student's files. Reading stays allowed: the
student code needs numpy, torch and the kit's own `utils`.

`to_plain` / `from_plain` carry what ``run`` returned across the process boundary as JSON, with numpy arrays
as base64 of a whitelisted dtype. Decoding builds only dicts, lists, strings, numbers, booleans, None and
numpy arrays, so an object that "equals anything" cannot reach the judge.
"""

from __future__ import annotations

import base64
import ctypes
import os
import resource
from pathlib import Path
from typing import Any

import numpy as np

MEMORY_LIMIT = 2 * 1024**3  # address space of one sandboxed check, bytes (the torch import alone maps ~1 GB)
CPU_LIMIT = 60  # CPU seconds of one sandboxed check
FILE_LIMIT = 512 * 1024**2  # largest file a sandboxed check may write (05's init_weights reports 185 MB)
PLAIN_DTYPES = ("bool", "int8", "int16", "int32", "int64", "uint8", "float16", "float32", "float64", "complex128")

# Landlock (Linux ≥ 5.13): syscall numbers and the filesystem rights that change something.
_CREATE_RULESET, _ADD_RULE, _RESTRICT_SELF = 444, 445, 446
_PR_SET_NO_NEW_PRIVS = 38
_RULE_PATH_BENEATH = 1
_WRITE_FILE, _REMOVE_DIR, _REMOVE_FILE = 1 << 1, 1 << 4, 1 << 5
_MAKE_ANYTHING = sum(1 << bit for bit in range(6, 13))  # char, dir, reg, sock, fifo, block, sym
_REFER, _TRUNCATE = 1 << 13, 1 << 14  # ABI 2 and 3


class _PathBeneath(ctypes.Structure):
    _pack_ = 1
    _fields_ = [("allowed_access", ctypes.c_uint64), ("parent_fd", ctypes.c_int32)]


def _libc() -> ctypes.CDLL:
    return ctypes.CDLL(None, use_errno=True)


def landlock_abi() -> int:
    """The kernel's Landlock ABI version, or 0 where Landlock is missing or disabled."""
    version = _libc().syscall(_CREATE_RULESET, None, ctypes.c_size_t(0), ctypes.c_uint32(1))
    return max(version, 0)


def _write_rights(abi: int) -> int:
    rights = _WRITE_FILE | _REMOVE_DIR | _REMOVE_FILE | _MAKE_ANYTHING
    return rights | (_REFER if abi >= 2 else 0) | (_TRUNCATE if abi >= 3 else 0)


def _forbid_writes_outside(folders: list[Path]) -> None:
    """Landlock: from now on this process (and its children) may write only beneath ``folders``."""
    libc, rights = _libc(), _write_rights(landlock_abi())
    handled = ctypes.c_uint64(rights)  # the first field of landlock_ruleset_attr; later fields are optional
    ruleset = libc.syscall(_CREATE_RULESET, ctypes.byref(handled), ctypes.c_size_t(8), ctypes.c_uint32(0))
    if ruleset < 0:
        raise OSError(ctypes.get_errno(), "landlock_create_ruleset failed")
    try:
        for folder in folders:
            fd = os.open(folder, os.O_PATH | os.O_CLOEXEC)
            try:
                rule = _PathBeneath(rights, fd)
                if libc.syscall(_ADD_RULE, ruleset, _RULE_PATH_BENEATH, ctypes.byref(rule), ctypes.c_uint32(0)):
                    raise OSError(ctypes.get_errno(), f"landlock_add_rule failed for {folder}")
            finally:
                os.close(fd)
        if libc.prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) or libc.syscall(_RESTRICT_SELF, ruleset, ctypes.c_uint32(0)):
            raise OSError(ctypes.get_errno(), "landlock_restrict_self failed")
    finally:
        os.close(ruleset)


def confine(*writable: Path, cpu_seconds: int | None = CPU_LIMIT) -> None:
    """Limit this process before it runs student code: memory, CPU time (None: no limit), file size, and
    writes to the ``writable`` folders.

    Where the kernel has no Landlock the resource limits still apply and writes are not confined; `grade`
    says so once per run (`landlock_abi`).
    """
    limits = [(resource.RLIMIT_AS, MEMORY_LIMIT), (resource.RLIMIT_FSIZE, FILE_LIMIT)]
    if cpu_seconds is not None:
        limits.append((resource.RLIMIT_CPU, cpu_seconds))
    for limit, value in limits:
        resource.setrlimit(limit, (value, value))
    if landlock_abi():
        _forbid_writes_outside([*writable, Path("/dev")])  # /dev: /dev/null and torch's /dev/shm


def to_plain(value: Any) -> Any:
    """``value`` as JSON-ready data; numpy arrays and scalars become tagged base64 records."""
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, (int, float)):
        return value
    if isinstance(value, np.generic):
        return to_plain(value.item())
    if isinstance(value, np.ndarray):
        if value.dtype.name not in PLAIN_DTYPES:
            raise TypeError(f"an array of dtype {value.dtype} is not plain data")
        encoded = base64.b64encode(value.tobytes()).decode()  # C order, whatever the array's layout
        return {"__array__": encoded, "dtype": value.dtype.name, "shape": list(value.shape)}
    if isinstance(value, list):
        return [to_plain(item) for item in value]
    if isinstance(value, tuple):  # kept apart from lists: judges compare shapes and call records as tuples
        return {"__tuple__": [to_plain(item) for item in value]}
    if isinstance(value, dict):
        if all(isinstance(key, str) and not key.startswith("__") for key in value):
            return {key: to_plain(item) for key, item in value.items()}
        return {"__items__": [[to_plain(key), to_plain(item)] for key, item in value.items()]}
    raise TypeError(f"{type(value).__name__} is not plain data")


def from_plain(value: Any) -> Any:
    """The inverse of `to_plain`, trusting nothing: only whitelisted dtypes and consistent shapes decode."""
    if isinstance(value, list):
        return [from_plain(item) for item in value]
    if not isinstance(value, dict):
        return value
    if "__tuple__" in value:
        return tuple(from_plain(item) for item in value["__tuple__"])
    if "__items__" in value:  # a dict whose keys are not all strings: keys that were tuples come back as tuples
        return {_hashable(from_plain(key)): from_plain(item) for key, item in value["__items__"]}
    if "__array__" not in value:
        return {key: from_plain(item) for key, item in value.items()}
    dtype, shape = value["dtype"], tuple(int(n) for n in value["shape"])
    if dtype not in PLAIN_DTYPES:
        raise ValueError(f"dtype {dtype!r} is not plain data")
    array = np.frombuffer(base64.b64decode(value["__array__"]), dtype=dtype)
    return array.reshape(shape).copy()


def _hashable(key: Any) -> Any:
    return tuple(_hashable(part) for part in key) if isinstance(key, (list, tuple)) else key
