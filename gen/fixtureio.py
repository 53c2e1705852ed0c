"""Deterministic fixture writing: .npz archives, array references and the manifest.

Byte-for-byte reproducible: zip entries carry a fixed date (1980-01-01), fixed
permissions and sorted member order; .npy members are version 1.0; the
manifest is JSON with sorted keys, one case per line, and no timestamps.
"""

import hashlib
import io
import json
import os
import zipfile

import numpy as np

# Logical Keras dtype -> how it is stored in .npy (bfloat16 widened exactly to float32).
STORAGE = {
    "float64": "<f8",
    "float32": "<f4",
    "float16": "<f2",
    "bfloat16": "<f4",
    "int32": "<i4",
    "int64": "<i8",
    "bool": "|b1",
}
FORMAT = "kerasparity-fixtures/1"
ZIP_DATE = (1980, 1, 1, 0, 0, 0)


def sha256(data):
    """Hex SHA-256 of bytes."""
    return hashlib.sha256(data).hexdigest()


def npy_bytes(array):
    """The .npy (version 1.0) serialisation of a C-ordered array."""
    buf = io.BytesIO()
    np.lib.format.write_array(buf, np.array(array, order="C"), version=(1, 0), allow_pickle=False)
    return buf.getvalue()


def logical_dtype(array):
    """Keras name of a NumPy array's dtype ('bfloat16' for ml_dtypes.bfloat16)."""
    name = np.dtype(array.dtype).name
    if name not in STORAGE:
        raise TypeError(f"no storage rule for dtype {name}")
    return name


class ArrayStore:
    """Collects array members per archive and hands out ArrayRef dicts."""

    def __init__(self):
        self.members = {}  # file -> {key: npy bytes}

    def add(self, file, key, array, dtype=None):
        """Store ``array`` as ``file``/``key`` and return its manifest ArrayRef.

        ``dtype`` is the logical dtype (defaults to the array's own); the data is
        converted to that dtype's storage type, which must be exact.
        """
        array = np.asarray(array)
        dtype = dtype or logical_dtype(array)
        stored = array.astype(np.dtype(STORAGE[dtype]))
        if dtype != "bfloat16" and not _same(stored, array):
            raise ValueError(f"{file}/{key}: {array.dtype} does not fit {dtype} exactly")
        data = npy_bytes(stored)
        archive = self.members.setdefault(file, {})
        if key in archive:
            raise KeyError(f"duplicate array key {file}/{key}")
        archive[key] = data
        return {"file": file, "key": key, "dtype": dtype, "shape": list(stored.shape), "sha256": sha256(data)}

    def write(self, out_dir):
        """Write every archive; return the manifest's ``files`` map."""
        files = {}
        for name in sorted(self.members):
            data = zip_bytes(self.members[name])
            with open(os.path.join(out_dir, name), "wb") as f:
                f.write(data)
            files[name] = {"sha256": sha256(data), "bytes": len(data)}
        return files


def _same(stored, original):
    """Whether a dtype conversion kept every value (NaN equal to NaN)."""
    if stored.shape != original.shape:
        return False
    a, b = stored.astype(np.float64), original.astype(np.float64)
    return bool(np.array_equal(a, b, equal_nan=True))


def zip_bytes(members):
    """An .npz archive (deflated, fixed dates and modes, sorted members) as bytes."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for key in sorted(members):
            info = zipfile.ZipInfo(key + ".npy", date_time=ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 3
            zf.writestr(info, members[key], compresslevel=9)
    return buf.getvalue()


def dumps(value, indent=None):
    """JSON with sorted keys, no NaN, compact separators when not indented."""
    separators = None if indent else (",", ":")
    return json.dumps(value, sort_keys=True, indent=indent, separators=separators, allow_nan=False)


def manifest_text(manifest):
    """The manifest as text: sorted keys, indent 1, one compact case per line."""
    lines = ["{"]
    keys = sorted(manifest)
    for n, key in enumerate(keys):
        comma = "," if n < len(keys) - 1 else ""
        if key == "cases":
            cases = manifest["cases"]
            lines.append(' "cases": [')
            lines += ["  " + dumps(c) + ("," if i < len(cases) - 1 else "") for i, c in enumerate(cases)]
            lines.append(" ]" + comma)
        else:
            body = dumps(manifest[key], indent=1).replace("\n", "\n ")
            lines.append(f" {json.dumps(key)}: {body}{comma}")
    lines.append("}")
    return "\n".join(lines) + "\n"


def write_manifest(out_dir, manifest):
    """Write manifest.json into out_dir."""
    with open(os.path.join(out_dir, "manifest.json"), "w", encoding="ascii", newline="\n") as f:
        f.write(manifest_text(manifest))
