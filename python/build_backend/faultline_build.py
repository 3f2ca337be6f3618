"""A PEP 517 build backend for the faultline Python package: CMake underneath.

pip calls build_wheel(); it configures the repository's CMake project (the folder above
python/) in Release with the interpreter pip runs, builds the target `faultline_python`
(the extension module faultline._core and a copy of the package's .py files in
<build>/python/faultline), and packs that folder into a wheel. Nothing is downloaded:
the build needs CMake, a C++ compiler and the project's Debian build dependencies
(scripts/setup.sh), and Python's standard library only.

Config settings (``pip install --config-settings KEY=VALUE``):
  build-dir   the CMake build folder (default: <repo>/build/python-wheel; kept, so a
              second install only rebuilds what changed)
  build-type  CMAKE_BUILD_TYPE (default: Release)
The environment's CMAKE_CXX_COMPILER_LAUNCHER (e.g. ccache) and
CMAKE_BUILD_PARALLEL_LEVEL are honoured, as CMake itself honours them.
"""

from __future__ import annotations

import base64
import hashlib
import importlib.machinery
import os
import re
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

NAME = "faultline"
PACKAGE = Path(__file__).resolve().parents[1]  # python/
ROOT = PACKAGE.parent                          # the repository


def _version() -> str:
    text = (ROOT / "CMakeLists.txt").read_text(encoding="utf-8")
    match = re.search(r"project\(\s*faultline\s+VERSION\s+([0-9][0-9.]*)", text)
    if not match:
        raise RuntimeError(f"{ROOT / 'CMakeLists.txt'}: no project(faultline VERSION ...)")
    return match.group(1)


def _tag() -> str:
    impl = f"cp{sys.version_info.major}{sys.version_info.minor}"
    platform = sysconfig.get_platform().replace("-", "_").replace(".", "_")
    return f"{impl}-{impl}-{platform}"


def _dist_info() -> str:
    return f"{NAME}-{_version()}.dist-info"


def _metadata() -> str:
    return (
        "Metadata-Version: 2.1\n"
        f"Name: {NAME}\n"
        f"Version: {_version()}\n"
        "Summary: Discrete-event simulator and chaos-testing framework for borrower reminder "
        "and payment systems: results as pandas DataFrames\n"
        "Requires-Python: >=3.9\n"
        "Provides-Extra: dataframes\n"
        'Requires-Dist: pandas; extra == "dataframes"\n'
        "Provides-Extra: examples\n"
        'Requires-Dist: pandas; extra == "examples"\n'
        'Requires-Dist: matplotlib; extra == "examples"\n'
    )


def _wheel_file() -> str:
    return (
        "Wheel-Version: 1.0\n"
        "Generator: faultline_build (python/build_backend)\n"
        "Root-Is-Purelib: false\n"
        f"Tag: {_tag()}\n"
    )


def _run(command: list[str]) -> None:
    print("faultline_build:", " ".join(command), file=sys.stderr, flush=True)
    # CMake's and the compiler's output go to stderr: pip shows it when a build fails
    # (or with -v), and stdout stays clean for pip's protocol.
    subprocess.run(command, check=True, stdout=sys.stderr)


def _build(config_settings: dict | None) -> Path:
    settings = config_settings or {}
    build_dir = Path(settings.get("build-dir") or ROOT / "build" / "python-wheel").resolve()
    build_type = settings.get("build-type", "Release")
    cmake = shutil.which("cmake")
    if cmake is None:
        raise RuntimeError("faultline needs CMake to build (Debian: cmake; scripts/setup.sh)")
    configure = [
        cmake, "-S", str(ROOT), "-B", str(build_dir),
        f"-DCMAKE_BUILD_TYPE={build_type}",
        "-DFAULTLINE_TESTS=OFF",
        "-DFAULTLINE_PYTHON=ON",
        f"-DPython_EXECUTABLE={sys.executable}",
    ]
    if not (build_dir / "CMakeCache.txt").exists() and shutil.which("ninja"):
        configure += ["-G", "Ninja"]
    _run(configure)
    jobs = os.environ.get("CMAKE_BUILD_PARALLEL_LEVEL") or str(os.cpu_count() or 1)
    _run([cmake, "--build", str(build_dir), "--target", "faultline_python", "--parallel", jobs])
    package = build_dir / "python" / NAME
    suffixes = importlib.machinery.EXTENSION_SUFFIXES
    if not any((package / f"_core{s}").exists() for s in suffixes):
        raise RuntimeError(
            f"{package}: no _core module for this interpreter ({', '.join(suffixes)}); "
            f"was the build configured with another Python? Remove {build_dir} and retry"
        )
    return package


def _record_line(arcname: str, data: bytes) -> str:
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return f"{arcname},sha256={digest},{len(data)}"


# --- PEP 517 hooks ----------------------------------------------------------------------


def get_requires_for_build_wheel(config_settings=None):
    return []


def prepare_metadata_for_build_wheel(metadata_directory, config_settings=None):
    info = Path(metadata_directory) / _dist_info()
    info.mkdir(parents=True, exist_ok=True)
    (info / "METADATA").write_text(_metadata(), encoding="utf-8")
    (info / "WHEEL").write_text(_wheel_file(), encoding="utf-8")
    return info.name


def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    package = _build(config_settings)
    files: list[tuple[str, bytes]] = []
    for path in sorted(package.iterdir()):
        # libfaultline_simgrid.so: the SimGrid engine, loaded by _core for `engine: simgrid`.
        if (
            path.suffix == ".py"
            or (path.name.startswith("_core.") and path.suffix == ".so")
            or path.name == "libfaultline_simgrid.so"
        ):
            files.append((f"{NAME}/{path.name}", path.read_bytes()))
    info = _dist_info()
    files.append((f"{info}/METADATA", _metadata().encode()))
    files.append((f"{info}/WHEEL", _wheel_file().encode()))
    files.append((f"{info}/top_level.txt", f"{NAME}\n".encode()))
    record = [_record_line(name, data) for name, data in files] + [f"{info}/RECORD,,"]
    files.append((f"{info}/RECORD", ("\n".join(record) + "\n").encode()))

    wheel_name = f"{NAME}-{_version()}-{_tag()}.whl"
    target = Path(wheel_directory) / wheel_name
    tmp = target.with_suffix(".tmp")
    with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as whl:
        for name, data in files:
            zinfo = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            zinfo.external_attr = 0o644 << 16
            zinfo.compress_type = zipfile.ZIP_DEFLATED
            whl.writestr(zinfo, data)
    os.replace(tmp, target)
    return wheel_name
