"""Generate (or check) the Keras fixtures of one backend.

    gen/.venv/bin/python gen/generate.py --backend jax --out fixtures/jax
    gen/.venv/bin/python gen/generate.py --backend jax --out fixtures/jax --check

--check regenerates into a temporary folder and compares it byte for byte with
--out; it exits non-zero on any difference.

The process re-executes itself with PYTHONHASHSEED=0 (Keras error messages
print Python sets, whose order depends on the hash seed) and sets
KERAS_BACKEND before Keras is imported.
"""

import argparse
import filecmp
import hashlib
import os
import re
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
BACKENDS = ("numpy", "jax", "tensorflow")
GENERATOR = "kerasparity-gen"


def parse_args(argv):
    """Command-line options."""
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--backend", required=True, choices=BACKENDS)
    p.add_argument("--out", required=True, help="output folder, e.g. fixtures/jax")
    p.add_argument("--check", action="store_true", help="regenerate to a temp dir and compare with --out")
    p.add_argument("--only", default=None, help="regex: generate only matching case ids (debugging)")
    return p.parse_args(argv)


def ensure_environment(backend):
    """Re-exec with a fixed hash seed; set the backend and quiet TF before Keras loads."""
    if os.environ.get("PYTHONHASHSEED") != "0":
        env = dict(os.environ, PYTHONHASHSEED="0")
        os.execve(sys.executable, [sys.executable] + sys.argv, env)
    os.environ["KERAS_BACKEND"] = backend
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")
    os.environ.setdefault("JAX_PLATFORMS", "cpu")


def revision():
    """First 12 hex of sha256 over gen/*.py (sorted by name) and requirements.txt."""
    h = hashlib.sha256()
    names = sorted(n for n in os.listdir(HERE) if n.endswith(".py")) + ["requirements.txt"]
    for name in names:
        with open(os.path.join(HERE, name), "rb") as f:
            h.update(name.encode() + b"\0" + f.read() + b"\0")
    return h.hexdigest()[:12]


def error_json(outcome):
    """The manifest form of an error outcome."""
    return {"error": {"type": outcome.error_type, "message": outcome.error_message}}


def step_json(store, case, index, step, outcome):
    """The manifest form of one step, storing its arrays."""
    prefix = f"c{case.serial:04d}/s{index}"
    out = {"op": step.op}
    for name in ("y_true", "y_pred", "sample_weight"):
        array = getattr(step, name)
        if array is not None:
            out[name] = store.add(case.file, f"{prefix}/{name}", array)
    if outcome.error_type:
        out["expect"] = error_json(outcome)
    else:
        out["expect"] = {"value": store.add(case.file, f"{prefix}/value", outcome.value, outcome.dtype)}
    return out


def case_json(store, case, result):
    """The manifest form of one case."""
    if result.construct_error:
        steps = [{"op": "construct", "expect": error_json(result.construct_error)}]
    else:
        steps = [step_json(store, case, i, step, outcome)
                 for i, (step, outcome) in enumerate(zip(case.steps, result.outcomes))]
    return {
        "id": case.id, "kind": case.kind, "class": case.name, "config": result.config,
        "dtype": result.dtype, "params": case.params, "edges": case.edges, "source": case.source,
        "steps": steps,
    }


def generate(backend, out_dir, only=None):
    """Run every catalogue case on this backend and write the fixture set into out_dir."""
    import catalogue
    import fixtureio
    import run

    run.configure(backend)
    cases = catalogue.build_cases()
    if only:
        cases = [c for c in cases if re.search(only, c.id)]
    store = fixtureio.ArrayStore()
    records = [case_json(store, case, run.run_case(case)) for case in cases]
    os.makedirs(out_dir, exist_ok=True)
    for name in os.listdir(out_dir):
        if name.endswith(".npz") or name == "manifest.json":
            os.remove(os.path.join(out_dir, name))
    manifest = {
        "format": fixtureio.FORMAT,
        "backend": backend,
        "generator": {"name": GENERATOR, "revision": revision(), "seed": catalogue.SEED},
        "versions": run.versions(backend),
        "keras": run.settings(),
        "files": store.write(out_dir),
        "api": run.api(),
        "cases": records,
    }
    fixtureio.write_manifest(out_dir, manifest)
    return len(records)


def compare_dirs(expected, actual):
    """Names of files that differ or exist in only one of two folders."""
    left, right = set(os.listdir(expected)), set(os.listdir(actual))
    fixture = lambda n: n.endswith(".npz") or n == "manifest.json"
    left, right = {n for n in left if fixture(n)}, {n for n in right if fixture(n)}
    problems = sorted(left ^ right)
    for name in sorted(left & right):
        if not filecmp.cmp(os.path.join(expected, name), os.path.join(actual, name), shallow=False):
            problems.append(name)
    return problems


def main(argv):
    """Entry point."""
    args = parse_args(argv)
    ensure_environment(args.backend)
    sys.path.insert(0, HERE)
    start = time.monotonic()
    if args.check:
        with tempfile.TemporaryDirectory() as tmp:
            count = generate(args.backend, tmp, args.only)
            problems = compare_dirs(args.out, tmp)
        took = time.monotonic() - start
        if problems:
            print(f"{args.backend}: {len(problems)} file(s) differ from {args.out}: {', '.join(problems)}", file=sys.stderr)
            return 1
        print(f"{args.backend}: {count} cases regenerated byte-identical to {args.out} in {took:.1f}s")
        return 0
    count = generate(args.backend, args.out, args.only)
    print(f"{args.backend}: wrote {count} cases to {args.out} in {time.monotonic() - start:.1f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
