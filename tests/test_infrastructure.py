"""The shared Python layer: validation messages, the CSV-with-units reader, result export, the
command-line framework."""

from dataclasses import dataclass

import numpy as np
import pytest

from quasiion import _validation as v
from quasiion.cli import COMMANDS, build_parser, main
from quasiion.cli._common import parse_range
from quasiion.io import read_table, split_header
from quasiion.results import ResultMixin


def test_validation_messages_name_parameter_value_and_rule():
    with pytest.raises(ValueError, match=r"^T = -1\.0: must be > 0$"):
        v.positive("T", -1.0)
    with pytest.raises(ValueError, match=r"k\[2\] = nan: must be finite"):
        v.finite_array("k", [0.0, 1.0, np.nan])
    with pytest.raises(ValueError, match="k = an empty array: must be non-empty"):
        v.finite_array("k", [])
    with pytest.raises(ValueError, match=r"T\[1\] = 0.0: must be > 0"):
        v.temperature([300.0, 0.0])
    with pytest.raises(ValueError, match="xi0 = 1.5: must be in \\(0, 1\\]"):
        v.in_range("xi0", 1.5, 0, 1, open_lo=True)
    with pytest.raises(ValueError, match="rule = 'x': must be one of 'a', 'b'"):
        v.choice("rule", "x", ("a", "b"))
    with pytest.raises(ValueError, match="mu"):
        v.same_shape("T", np.zeros(3), "mu", np.zeros(2))
    assert v.finite("a", "2.5") == 2.5


@pytest.mark.parametrize(
    "text, expected",
    [("T [K]", ("T", "K")), ("U (eV)", ("U", "eV")), ("x/Angstrom", ("x", "Angstrom")),
     ("sigma_S_per_cm", ("sigma", "S_per_cm")), ("T_C", ("T", "C")), ("material", ("material", ""))],
)
def test_split_header(text, expected):
    assert split_header(text) == expected


def test_read_table(tmp_path):
    p = tmp_path / "d.csv"
    p.write_text("# comment\nname,T [K],sigma (S/cm)\nA,300,1e-3\nB,400,2e-3\n")
    cols = read_table(p)
    assert cols["T"].unit == "K" and cols["sigma"].unit == "S/cm"
    np.testing.assert_array_equal(cols["T"].values, [300.0, 400.0])
    assert list(cols["name"].values) == ["A", "B"]
    both = tmp_path / "both.csv"
    both.write_text("T_C,T_K\n25,298.15\n")
    cols = read_table(both)
    assert cols["T"].unit == "C" and cols["T_K"].unit == "K"
    bad = tmp_path / "bad.csv"
    bad.write_text("a,b\n1,2,3\n")
    with pytest.raises(ValueError, match="line 2"):
        read_table(bad)
    with pytest.raises(ValueError, match="existing file"):
        read_table(tmp_path / "missing.csv")


@dataclass
class _R(ResultMixin):
    mu: np.ndarray
    sigma: np.ndarray
    T: float


def test_result_export_roundtrip(tmp_path):
    r = _R(np.linspace(0, 1, 4), np.logspace(-3, 0, 4), 300.0)
    assert set(r.to_dict()) == {"mu", "sigma", "T"}
    z = np.load(r.save_npz(tmp_path / "r.npz"))
    np.testing.assert_array_equal(z["sigma"], r.sigma)
    text = r.save_csv(tmp_path / "r.csv").read_text().splitlines()
    assert text[0] == "# T = 300.0" and text[1] == "mu,sigma"
    assert float(text[-1].split(",")[1]) == pytest.approx(1.0)


def test_parse_range():
    np.testing.assert_allclose(parse_range("-0.8:0.4:0.2"), [-0.8, -0.6, -0.4, -0.2, 0.0, 0.2, 0.4])
    np.testing.assert_allclose(parse_range("1,2.5"), [1.0, 2.5])
    for bad in ("1:0:0.1", "0:1:0", "0:1", "a"):
        with pytest.raises(ValueError, match="range"):
            parse_range(bad)


def test_every_subcommand_has_help(capsys):
    parser = build_parser()
    for name in COMMANDS:
        assert name in parser._subparsers._group_actions[0].choices  # type: ignore[union-attr]
        with pytest.raises(SystemExit) as info:
            main([name, "--help"])
        assert info.value.code == 0
        assert "usage: quasiion " + name in capsys.readouterr().out


def test_cli_without_command_prints_help(capsys):
    assert main([]) == 2
    assert "COMMAND" in capsys.readouterr().out


def test_reproduce_rejects_unknown_item(tmp_path, capsys):
    assert main(["reproduce", "--out", str(tmp_path), "--only", "fig99"]) == 2
    assert "--only" in capsys.readouterr().err


def test_public_names_do_not_collide():
    # The domain modules are star-imported into quasiion: a name exported twice would silently
    # shadow the first.
    import collections

    import quasiion

    counts = collections.Counter(quasiion.__all__)
    assert [n for n, c in counts.items() if c > 1] == []
    for name in quasiion.__all__:
        assert hasattr(quasiion, name), name


def test_negative_ranges_are_values_not_options():
    args = build_parser().parse_args(["doping", "--mu", "-0.8:0.4:0.005", "--alpha", "0.5"])
    assert args.mu == "-0.8:0.4:0.005"
    args = build_parser().parse_args(["bands", "--UA", "-0.4", "--UB", "-0.2"])
    assert float(args.UA) == -0.4
