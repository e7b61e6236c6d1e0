"""Every subcommand against a table of bad arguments: a one-line error and a non-zero exit,
never a Python traceback (issue 17, item 4)."""

from __future__ import annotations

import contextlib
import io
import traceback
from pathlib import Path

import pytest

from quasiion.cli import main


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    d = tmp_path_factory.mktemp("cli")
    out = {"dir": str(d), "missing": str(d / "missing.csv"), "nodir": str(d / "no" / "x.png")}
    (d / "existing_file").write_text("x\n")
    out["file"] = str(d / "existing_file")
    (d / "empty.csv").write_text("")
    out["empty"] = str(d / "empty.csv")
    (d / "garbage.csv").write_bytes(b"\x00\xff\xfe garbage,,,\n\x01\x02\n")
    out["garbage"] = str(d / "garbage.csv")
    (d / "nan_T.csv").write_text("T [K],sigma [S/cm]\n300,1e-3\nnan,1e-2\n400,1e-1\n500,1\n")
    out["nan_T"] = str(d / "nan_T.csv")
    (d / "no_T.csv").write_text("x,sigma [S/cm]\n300,1e-3\n400,1e-2\n")
    out["no_T"] = str(d / "no_T.csv")
    (d / "two.csv").write_text("T [K],sigma [S/cm]\n300,1e-3\n400,1e-2\n")
    out["two"] = str(d / "two.csv")
    (d / "neg.csv").write_text("T [K],sigma [S/cm]\n300,-1e-3\n400,1e-2\n500,1e-1\n")
    out["neg"] = str(d / "neg.csv")
    (d / "ok.csv").write_text("T [K],sigma [S/cm]\n300,1e-4\n350,1e-3\n400,1e-2\n450,3e-2\n"
                              "500,1e-1\n")
    out["ok"] = str(d / "ok.csv")
    (d / "profile_bad.csv").write_text("x [Angstrom],U [eV]\n0,0\n1,nan\n2,0\n")
    out["profile_bad"] = str(d / "profile_bad.csv")
    (d / "profile_flat.csv").write_text("x [Angstrom],U [eV]\n0,0\n1,0\n2,0\n3,0\n")
    out["profile_flat"] = str(d / "profile_flat.csv")
    x = [0.1 * i for i in range(41)]
    import math

    rows = "\n".join(f"{xi:.3f},{-0.3 * math.cos(2 * math.pi * xi / 4.0) ** 2:.6f}" for xi in x)
    (d / "profile_ok.csv").write_text("x [Angstrom],U [eV]\n" + rows + "\n")
    out["profile_ok"] = str(d / "profile_ok.csv")
    return out


BAD: list[tuple[str, list[str]]] = [
    ("bands", ["--nk", "0"]), ("bands", ["--nk", "100000000000"]), ("bands", ["--nk", "abc"]),
    ("bands", ["--a", "-1"]), ("bands", ["--a", "nan"]), ("bands", ["--J0", "inf"]),
    ("bands", ["--out", "{nodir}"]), ("bands", ["--out", "{dir}"]),
    ("bands", ["--plot", "{dir}"]),
    ("potential", ["{missing}"]), ("potential", ["{dir}"]), ("potential", ["{empty}"]),
    ("potential", ["{garbage}"]), ("potential", ["{profile_bad}"]),
    ("potential", ["{profile_flat}"]), ("potential", ["--eq45", "2"]),
    ("potential", ["--eq45", "0.6", "--T", "-5"]), ("potential", ["--eq45", "0.6", "--T", "x"]),
    ("potential", ["--eq45", "0.6", "--plot", "{nodir}"]),
    ("potential", ["{profile_ok}", "--prominence", "-1"]),
    ("potential", ["--eq45", "0.6", "--thermalisation", "nan"]),
    ("doping", ["--mu", "abc"]), ("doping", ["--mu", "1:0:0.1"]), ("doping", ["--mu", "nan"]),
    ("doping", ["--alpha", "0.9", "--mu", "-0.3"]), ("doping", ["--alpha", "1.5"]),
    ("doping", ["--T", "-1", "--mu", "-0.3"]), ("doping", ["--T", "0", "--mu", "-0.3"]),
    ("doping", ["--K", "-1", "--mu", "-0.3"]), ("doping", ["--threads", "-1", "--mu", "-0.3"]),
    ("doping", ["--chain", "0", "0", "nan", "--mu", "-0.3"]),
    ("doping", ["--mu", "-0.3", "--tau", "0"]), ("doping", ["--mu", "-0.3", "--n0", "-1"]),
    ("doping", ["--mu", "-0.3", "--out", "{nodir}"]), ("doping", ["--mu", "-0.3", "--out", "{dir}"]),
    ("fit", ["{missing}"]), ("fit", ["{dir}"]), ("fit", ["{empty}"]), ("fit", ["{garbage}"]),
    ("fit", ["{nan_T}"]), ("fit", ["{no_T}"]), ("fit", ["{two}", "--models", "quasi-ion"]),
    ("fit", ["{neg}"]), ("fit", ["{ok}", "--models", "foo"]), ("fit", ["{ok}", "--models", ""]),
    ("fit", ["{ok}", "--tmin", "1e9"]), ("fit", ["{ok}", "--material", "nope"]),
    ("fit", ["{ok}", "--plot", "{dir}"]), ("fit", ["{ok}", "--csv", "{nodir}"]),
    ("onsager", ["--j", "abc"]), ("onsager", ["--j", "-1"]), ("onsager", ["--xi0", "2"]),
    ("onsager", ["--rho-ratio", "-1"]), ("onsager", ["--j", "nan"]),
    ("onsager", ["--plot", "{nodir}"]),
    ("reproduce", ["--only", "nope"]), ("reproduce", ["--out", "{file}"]),
]


@pytest.mark.parametrize("cmd,args", BAD, ids=[f"{c}:{' '.join(a)}" for c, a in BAD])
def test_bad_arguments_give_one_line_errors(cmd: str, args: list[str],
                                            files: dict[str, str]) -> None:
    argv = [cmd] + [a.format(**files) for a in args]
    err, out = io.StringIO(), io.StringIO()
    try:
        with contextlib.redirect_stderr(err), contextlib.redirect_stdout(out):
            code = main(argv)
    except SystemExit as exc:  # argparse's own usage errors
        code = exc.code
    except BaseException:  # noqa: BLE001 - the point of the test
        pytest.fail(f"quasiion {' '.join(argv)} raised:\n{traceback.format_exc()}")
    text = err.getvalue()
    assert code not in (0, None), f"exit {code}; stderr: {text}"
    assert "Traceback" not in text
    assert text.strip(), "no message"
    assert len(text.strip().splitlines()) <= 3, text  # usage line(s) + the error


def test_error_is_reported_before_the_work(files: dict[str, str]) -> None:
    """A bad output path is reported before the sweep (the sweep would take minutes)."""
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        code = main(["doping", "--mu", "-0.8:0.4:0.00001", "--plot", str(Path(files["dir"]) /
                                                                         "no" / "x.png")])
    assert code == 2 and "does not exist" in err.getvalue()
