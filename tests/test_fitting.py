"""Conductivity-temperature fits (section 3.2, Table 1) on synthetic data: recovery within the
reported standard errors, the Arrhenius limit, identifiability warnings, input and output."""

from __future__ import annotations

import json
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import quasiion as q
from quasiion import units
from quasiion._fitting._models import MODELS
from quasiion.paper import TABLE1

T_GRID = np.linspace(300.0, 600.0, 31)
SIGMA0_LN = 8.0  # our choice of ln sigma0 (S/cm) for the Table 1 sets


def model_ln_sigma(model: str, p, T):
    """The models written out independently of the package (naive where it is safe)."""
    b = 1.0 / (units.k_B * T)
    if model == "quasi-ion":
        E_t, E_a0, b0, c = p
        x = E_a0 * (b - b0)
        return -E_t * b - x - np.log1p(2.0 * np.exp(-x)) + c
    if model == "arrhenius":
        return -p[0] * b + p[1]
    if model == "arrhenius-b":
        return -p[0] * b - p[1] * np.log(b) + p[2]
    if model == "vtf":
        return p[0] - p[1] / (units.k_B * (T - p[2]))
    raise AssertionError(model)


CASES = {
    **{f"table1-{k}": ("quasi-ion", [v["E_t"], v["E_a0"], v["beta0"], SIGMA0_LN])
       for k, v in TABLE1.items()},
    "arrhenius": ("arrhenius", [0.45, 5.0]),
    "arrhenius-b-table1": ("arrhenius-b", [TABLE1["Li5La3Sb2O12"]["E_tilde"],
                                           TABLE1["Li5La3Sb2O12"]["b"], -60.0]),
    "vtf": ("vtf", [3.0, 0.1, 150.0]),
}


def quiet_fit(*args, **kw):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", q.FitWarning)
        return q.fit_conductivity(*args, **kw)


# ---------------------------------------------------------------------------------------------
# the model functions


@pytest.mark.parametrize("model", list(MODELS))
def test_model_values_and_jacobians(model):
    p = np.array(CASES[{"quasi-ion": "table1-Li5La3Sb2O12", "arrhenius": "arrhenius",
                        "arrhenius-b": "arrhenius-b-table1", "vtf": "vtf"}[model]][1])
    m = MODELS[model]
    b = units.beta(T_GRID)
    np.testing.assert_allclose(m.value(p, T_GRID, b), model_ln_sigma(model, p, T_GRID),
                               rtol=1e-13, atol=1e-12)
    J = m.jac(p, T_GRID, b)
    for i in range(p.size):  # central differences
        h = 1e-6 * max(1.0, abs(p[i]))
        dp = np.zeros_like(p)
        dp[i] = h
        fd = (m.value(p + dp, T_GRID, b) - m.value(p - dp, T_GRID, b)) / (2 * h)
        np.testing.assert_allclose(J[:, i], fd, rtol=1e-6, atol=1e-7)


def test_quasi_ion_is_overflow_safe_and_has_its_two_arrhenius_limits():
    m = MODELS["quasi-ion"]
    E_t, E_a0, b0, c = 0.2, 50.0, 30.0, 1.0
    b = np.array([1.0, 10.0, 29.0, 31.0, 60.0, 1e4])
    with np.errstate(over="raise", invalid="raise", divide="raise"):  # underflow is harmless
        y = m.value(np.array([E_t, E_a0, b0, c]), 1 / (units.k_B * b), b)
    assert np.all(np.isfinite(y))
    # far on the high-T side (beta << beta0): -E_t beta - ln 2 + c
    np.testing.assert_allclose(y[:2], -E_t * b[:2] - np.log(2) + c, rtol=1e-14)
    # far on the low-T side: -(E_t + E_a0) beta + E_a0 beta0 + c
    np.testing.assert_allclose(y[-1], -(E_t + E_a0) * b[-1] + E_a0 * b0 + c, rtol=1e-14)


def test_arrhenius_embeds_in_quasi_ion_to_round_off():
    b = units.beta(T_GRID)
    for E_a in (0.0, 0.3, 1.7):
        p = q.arrhenius_as_quasi_ion(E_a, -2.0, float(b.max()))
        got = MODELS["quasi-ion"].value(p, T_GRID, b)
        np.testing.assert_allclose(got, -E_a * b - 2.0, rtol=0, atol=1e-14)
        assert p[0] == E_a and p[1] > 0 and p[2] > b.max()


# ---------------------------------------------------------------------------------------------
# recovery of known parameters within the reported standard errors


@pytest.mark.parametrize("case", list(CASES))
def test_synthetic_data_fitted_back_within_standard_errors(case):
    model, p = CASES[case]
    p = np.array(p)
    y0 = model_ln_sigma(model, p, T_GRID)
    z = []
    for seed in range(10):
        rng = np.random.default_rng(seed + 100)
        y = y0 + rng.normal(0.0, 0.02, T_GRID.size)
        r = quiet_fit(T_GRID, np.exp(y), model=model)
        se = np.array([r.stderr[k] for k in r.param_names])
        assert np.all(np.isfinite(se)) and np.all(se > 0)
        z.append((r.values - p) / se)
        assert r.rmse == pytest.approx(np.sqrt(np.mean((y - np.log(r(T_GRID))) ** 2)), rel=1e-12)
    z = np.abs(np.array(z))
    # each estimate within 4.5 standard errors; coverage of +-2 SE consistent with 95 %
    # (>= 75 % of the 10 x k z-scores; binomial sd ~ 2-3 %), and the errors not inflated:
    # mean z^2 (expected ~1) between 0.4 and 1.8
    assert z.max() < 4.5, z
    assert (z < 2).mean() >= 0.75, z
    assert 0.4 < (z**2).mean() < 1.8, (z**2).mean()


def test_standard_errors_of_linear_models_match_the_textbook_formula(rng):
    b = units.beta(T_GRID)
    y = -0.5 * b + 3.0 + 0.1 * np.log(b) + rng.normal(0, 0.05, b.size)
    r = quiet_fit(T_GRID, np.exp(y), model="arrhenius-b")
    A = np.column_stack([-b, -np.log(b), np.ones_like(b)])
    p, *_ = np.linalg.lstsq(A, y, rcond=None)
    s2 = np.sum((y - A @ p) ** 2) / (b.size - 3)
    cov = s2 * np.linalg.inv(A.T @ A)
    np.testing.assert_allclose(r.values, p, rtol=1e-9)
    np.testing.assert_allclose(r.covariance, cov, rtol=1e-6)
    np.testing.assert_allclose(np.diag(r.correlation), 1.0)
    slope, icpt = np.polyfit(b, y, 1)
    ra = quiet_fit(T_GRID, np.exp(y), model="arrhenius")
    assert ra.params["E_a"] == pytest.approx(-slope, rel=1e-10)
    assert ra.params["ln_sigma0"] == pytest.approx(icpt, rel=1e-10)
    n, k = b.size, 3
    assert r.aic == pytest.approx(n * np.log(np.sum((y - A @ p) ** 2) / n) + 2 * k, rel=1e-9)
    assert r.bic == pytest.approx(r.aic - 2 * k + k * np.log(n), rel=1e-12)


def test_sigma_T_form():
    p = np.array([0.1, 0.6, 28.0, 10.0])
    sigma = np.exp(model_ln_sigma("quasi-ion", p, T_GRID)) / T_GRID  # sigma T follows the form
    r = quiet_fit(T_GRID, sigma, sigma_is="sigmaT")
    np.testing.assert_allclose(r.values, p, rtol=1e-6)
    assert r.rmse < 1e-8
    np.testing.assert_allclose(r(T_GRID), sigma, rtol=1e-8)
    assert "S K/cm" in r.param_units[3]


def test_result_does_not_depend_on_the_starting_point():
    rng = np.random.default_rng(7)
    p = [0.16, 0.57, 27.41, 8.0]
    y = model_ln_sigma("quasi-ion", p, T_GRID) + rng.normal(0, 0.03, T_GRID.size)
    ref = quiet_fit(T_GRID, np.exp(y))
    for p0 in ([1.0, 5.0, 5.0, 0.0], [0.0, 0.01, 60.0, 30.0], {"beta0": 40.0}):
        r = quiet_fit(T_GRID, np.exp(y), p0=p0)
        assert r.ssr == pytest.approx(ref.ssr, rel=1e-9)
        np.testing.assert_allclose(r.values, ref.values, rtol=1e-5)


# ---------------------------------------------------------------------------------------------
# quasi-ion contains Arrhenius: never worse


@settings(max_examples=15, deadline=None)
@given(st.integers(0, 2**31 - 1), st.sampled_from(["arrhenius", "arrhenius-b", "vtf", "noise"]),
       st.sampled_from(["physical", None]), st.integers(4, 9))
def test_quasi_ion_never_worse_than_arrhenius(seed, kind, bounds, n):
    rng = np.random.default_rng(seed)
    T = np.sort(rng.uniform(250.0, 700.0, n))
    if kind == "noise":
        y = rng.normal(-8.0, 2.0, n)
    else:
        p = {"arrhenius": [rng.uniform(0, 1.5), 3.0],
             "arrhenius-b": [rng.uniform(0, 2), rng.uniform(-40, 40), 0.0],
             "vtf": [2.0, rng.uniform(0.01, 0.3), rng.uniform(0, 200)]}[kind]
        y = model_ln_sigma(kind, p, T) + rng.normal(0, 0.1, n)
    if np.min(np.diff(T)) < 1e-6:
        return
    qi = quiet_fit(T, np.exp(y), bounds=bounds)
    ar = quiet_fit(T, np.exp(y), model="arrhenius", bounds=bounds)
    vt = quiet_fit(T, np.exp(y), model="vtf", bounds=bounds)
    assert qi.rmse <= ar.rmse * (1 + 1e-9) + 1e-12
    assert vt.rmse <= ar.rmse * (1 + 1e-9) + 1e-12  # VTF at T0 = 0 is Arrhenius too
    if bounds == "physical":
        assert qi.params["E_t"] >= 0 and qi.params["E_a0"] >= 0 and qi.params["beta0"] >= 0
        assert ar.params["E_a"] >= 0 and vt.params["B"] >= 0 and 0 <= vt.params["T0"] < T.min()


def test_unbounded_fit_may_leave_the_physical_box():
    # sigma falling with T: the physical fits hold E_a (E_t) at 0, the unconstrained go negative
    y = 0.3 * units.beta(T_GRID) - 12.0
    ar = quiet_fit(T_GRID, np.exp(y), model="arrhenius")
    assert ar.params["E_a"] == 0.0
    assert any("bound" in w for w in ar.warnings)
    qi = quiet_fit(T_GRID, np.exp(y), bounds=None)
    assert qi.params["E_t"] == pytest.approx(-0.3, abs=1e-6)


# ---------------------------------------------------------------------------------------------
# identifiability warnings


def test_warnings_for_parameters_the_data_do_not_identify():
    y = model_ln_sigma("arrhenius", [0.4, 2.0], T_GRID)  # a straight line: no bend
    with pytest.warns(q.FitWarning) as rec:
        r = q.fit_conductivity(T_GRID, np.exp(y))
    text = " ".join(r.warnings)
    assert "identified" in text and "beta0" in text
    assert "outside the measured range" in text
    assert {str(w.message) for w in rec} == set(r.warnings)
    assert r.rmse < 1e-12


def test_no_degrees_of_freedom_and_strong_correlation():
    T = np.array([300.0, 350.0, 420.0])
    y = model_ln_sigma("arrhenius-b", [1.0, -10.0, -5.0], T)
    r = quiet_fit(T, np.exp(y), model="arrhenius-b")
    assert r.dof == 0 and np.isnan(r.aic) and all(np.isnan(list(r.stderr.values())))
    assert any("no degrees of freedom" in w for w in r.warnings)
    rng = np.random.default_rng(3)
    r = quiet_fit(T_GRID, np.exp(model_ln_sigma("arrhenius-b", [1.0, -10.0, -5.0], T_GRID)
                                 + rng.normal(0, 0.05, T_GRID.size)), model="arrhenius-b")
    assert abs(r.correlation[0, 1]) > 0.995
    assert any("not separately identified" in w for w in r.warnings)


def test_a_well_posed_fit_has_no_warnings():
    rng = np.random.default_rng(11)
    y = model_ln_sigma("arrhenius", [0.5, 4.0], T_GRID) + rng.normal(0, 0.02, T_GRID.size)
    with warnings.catch_warnings():
        warnings.simplefilter("error", q.FitWarning)
        r = q.fit_conductivity(T_GRID, np.exp(y), model="arrhenius")
    assert r.warnings == []


# ---------------------------------------------------------------------------------------------
# bad input and data problems


@pytest.mark.parametrize("T, sigma, kw, match", [
    ([300.0, 400.0, 500.0], [1e-5, 1e-4, 1e-3], {}, "needs at least 4"),
    ([300.0, 400.0], [1e-5, 1e-4], {"model": "vtf"}, "needs at least 3"),
    ([300.0, 400.0, 500.0, 600.0], [1e-5, 0.0, 1e-3, 1e-2], {}, r"sigma\[1\]"),
    ([300.0, 400.0, 500.0, 600.0], [1e-5, -1e-4, 1e-3, 1e-2], {}, r"sigma\[1\]"),
    ([300.0, 0.0, 500.0, 600.0], [1e-5, 1e-4, 1e-3, 1e-2], {}, r"T\[1\]"),
    ([300.0, -4.0, 500.0, 600.0], [1e-5, 1e-4, 1e-3, 1e-2], {}, r"T\[1\]"),
    ([300.0, np.nan, 500.0, 600.0], [1e-5, 1e-4, 1e-3, 1e-2], {}, r"T\[1\]"),
    ([300.0, 400.0, 500.0, 600.0], [1e-5, np.nan, 1e-3, 1e-2], {}, r"sigma\[1\]"),
    ([300.0, 400.0, 500.0], [1e-5, 1e-4], {"model": "arrhenius"}, "shape"),
    ([300.0, 400.0, 500.0], [1e-5, 1e-4, 1e-3], {"model": "power"}, "model"),
    ([300.0, 400.0, 500.0], [1e-5, 1e-4, 1e-3], {"model": "arrhenius", "sigma_is": "T"},
     "sigma_is"),
    ([300.0, 400.0, 500.0], [1e-5, 1e-4, 1e-3], {"model": "arrhenius", "bounds": "box"},
     "bounds"),
    ([300.0, 400.0, 400.0, 500.0], [1e-5, 1e-4, 1e-3, 1e-2],
     {"model": "arrhenius", "duplicates": "error"}, "contradictory"),
    ([300.0, 400.0, 400.0, 500.0], [1e-5, 1e-4, 1e-3, 1e-2], {"model": "arrhenius-b"},
     "needs at least 3"),  # duplicates averaged: 3 distinct temperatures for 3 parameters ok
])
def test_bad_input_raises_clear_errors(T, sigma, kw, match):
    if match == "needs at least 3" and kw.get("model") == "arrhenius-b":
        r = quiet_fit(T, sigma, **kw)
        assert r.n_points == 3 and any("contradictory" in w for w in r.warnings)
        with pytest.raises(ValueError, match=match):
            quiet_fit([300.0, 400.0, 400.0], [1e-5, 1e-4, 1e-3], **kw)
        return
    with pytest.raises(ValueError, match=match):
        quiet_fit(T, sigma, **kw)


def test_duplicates_averaged_in_log_give_the_same_estimates():
    rng = np.random.default_rng(5)
    T = np.repeat(T_GRID[::3], 2)
    y = model_ln_sigma("vtf", [3.0, 0.1, 150.0], T) + rng.normal(0, 0.05, T.size)
    avg = quiet_fit(T, np.exp(y), model="vtf")
    keep = quiet_fit(T, np.exp(y), model="vtf", duplicates="keep")
    assert avg.n_points == T.size // 2 and keep.n_points == T.size
    np.testing.assert_allclose(avg.values, keep.values, rtol=1e-6)


def test_non_monotonic_points_and_jumps_are_reported():
    T = np.array([300.0, 360.0, 440.0, 520.0, 530.0])
    sigma = np.array([9e-4, 1.6e-3, 4e-3, 3e-3, 1.9e-2])  # like Li3O(Cl0.5Br0.5)
    with pytest.warns(q.FitWarning) as rec:
        r = q.fit_conductivity(T, sigma, model="arrhenius")
    assert any("non-monotonic" in str(w.message) for w in rec)
    assert any("jump" in w and "530 K" in w for w in r.warnings)


def test_fixed_parameters():
    p = [0.16, 0.57, 27.41, 8.0]
    y = model_ln_sigma("quasi-ion", p, T_GRID)
    r = quiet_fit(T_GRID[:3], np.exp(y[:3]), fixed={"E_t": 0.16, "E_a0": 0.57, "beta0": 27.41})
    assert r.dof == 2 and r.params["ln_sigma0"] == pytest.approx(8.0, abs=1e-9)
    assert r.stderr["beta0"] == 0.0 and r.fixed == ("E_t", "E_a0", "beta0")
    with pytest.raises(ValueError, match="fixed"):
        quiet_fit(T_GRID, np.exp(y), fixed={"E_x": 1.0})
    with pytest.raises(ValueError, match="fixed"):
        quiet_fit(T_GRID, np.exp(y), fixed={"E_a0": -1.0})


# ---------------------------------------------------------------------------------------------
# compare_fits, reading, plotting, CLI


def test_compare_fits_table():
    rng = np.random.default_rng(2)
    y = model_ln_sigma("quasi-ion", [0.16, 0.57, 27.41, 8.0], T_GRID) + rng.normal(0, 0.02, 31)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", q.FitWarning)
        t = q.compare_fits(T_GRID, np.exp(y))
        t3 = q.compare_fits(T_GRID[:3], np.exp(y[:3]))
    assert [r["model"] for r in t.rows] == list(q.MODEL_NAMES)
    assert t.best("bic") == "quasi-ion"
    text = str(t)
    assert "E_t [eV]" in text and "rmse" in text and "beta0 [1/eV]" in text
    csv_text = t.to_csv()
    assert csv_text.splitlines()[0].startswith("model,E_t,E_t_se")
    assert len(csv_text.splitlines()) == 5
    assert json.loads(t.to_json())["rows"][0]["model"] == "quasi-ion"
    assert "quasi-ion" in t3.skipped and "needs at least 4" in t3.skipped["quasi-ion"]
    assert t["quasi-ion"].rmse <= t["arrhenius"].rmse


def write(tmp_path, text, name="d.csv"):
    p = tmp_path / name
    p.write_text(text)
    return p


def test_read_csv_units(tmp_path):
    T = np.array([300.0, 350.0, 400.0, 450.0])
    s = np.array([1e-5, 1e-4, 5e-4, 2e-3])
    rows = "\n".join(f"{a - 273.15},{b * 100}" for a, b in zip(T, s))
    d = q.read_conductivity_csv(write(tmp_path, "T [°C],sigma [S/m]\n" + rows))
    np.testing.assert_allclose(d.T, T)
    np.testing.assert_allclose(d.sigma, s)
    rows = "\n".join(f"{a},{np.log10(b)}" for a, b in zip(T, s))
    for head in ("T [K],log10 sigma [S/cm]", "T_K,log10(sigma) [S/cm]", "T (K),sigma [log10 S/cm]"):
        d = q.read_conductivity_csv(write(tmp_path, "# comment\n" + head + "\n" + rows))
        np.testing.assert_allclose(d.sigma, s, rtol=1e-12)
    for head, match in (("T [F],sigma [S/cm]", "unit 'F'"), ("T,sigma [S/cm]", "no unit"),
                        ("T [K],sigma [ohm]", "unit 'ohm'"), ("x [K],sigma [S/cm]", "temperature"),
                        ("T [K],rho [S/cm]", "conductivity")):
        with pytest.raises(ValueError, match=match):
            q.read_conductivity_csv(write(tmp_path, head + "\n" + rows))
    with pytest.raises(ValueError, match="not a number"):
        q.read_conductivity_csv(write(tmp_path, "T [K],sigma [S/cm]\n300,abc\n400,1e-3"))


def test_read_material_layout_and_mappings(tmp_path):
    text = ("material,family,doi,T_C,T_K,sigma_S_per_cm,database_id\n"
            "A,G,x,25,298.15,1e-6,1\nA,G,x,100,373.15,1e-5,2\nB,G,y,25,298.15,1e-4,3\n")
    p = write(tmp_path, text)
    assert q.conductivity_materials(p) == ["A", "B"]
    with pytest.raises(ValueError, match="'A', 'B'"):
        q.read_conductivity_csv(p)
    with pytest.raises(ValueError, match="material"):
        q.read_conductivity_csv(p, material="C")
    d = q.read_conductivity_csv(p, material="A")
    np.testing.assert_allclose(d.T, [298.15, 373.15])
    assert d.material == "A"
    with pytest.raises(ValueError, match="disagree"):
        q.read_conductivity_csv({"T [C]": [25.0, 100.0], "T [K]": [298.15, 380.0],
                                 "sigma [S/cm]": [1e-6, 1e-5]})
    d = q.read_conductivity_csv({"T [K]": [300, 400], "sigma [mS/cm]": [1.0, 2.0]})
    np.testing.assert_allclose(d.sigma, [1e-3, 2e-3])


def test_read_pandas_dataframe():
    pd = pytest.importorskip("pandas")
    df = pd.DataFrame({"T_C": [25.0, 100.0, 150.0], "sigma_S_per_cm": [1e-6, 1e-5, 4e-5]})
    d = q.read_conductivity_csv(df)
    np.testing.assert_allclose(d.T, [298.15, 373.15, 423.15])
    assert quiet_fit(df, model="arrhenius").n_points == 3


def test_plot(tmp_path):
    import matplotlib.pyplot as plt

    from quasiion.plotting import plot_conductivity_fits

    rng = np.random.default_rng(4)
    y = model_ln_sigma("quasi-ion", [0.16, 0.57, 27.41, 8.0], T_GRID) + rng.normal(0, 0.02, 31)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", q.FitWarning)
        t = q.compare_fits(T_GRID, np.exp(y))
    fig = plot_conductivity_fits(t, log10=True)
    main, res = fig.axes
    assert len(main.lines) == 1 + 4 + 1  # data, four models, the beta0 mark
    xb = 1000 * units.k_B * t["quasi-ion"].params["beta0"]
    assert any(np.allclose(ln.get_xdata(), xb) for ln in main.lines)
    assert len(res.lines) == 4 + 1
    ax = plot_conductivity_fits(t["arrhenius"], ax=plt.figure().gca())
    assert len(ax.lines) == 2
    with pytest.raises(ValueError, match="fits"):
        plot_conductivity_fits(42)
    plt.close("all")


def test_cli(tmp_path, capsys):
    from quasiion.cli import main

    T = T_GRID[::3]
    y = model_ln_sigma("arrhenius", [0.4, 3.0], T)
    p = write(tmp_path, "T [K],sigma [S/cm]\n" + "\n".join(f"{a},{np.exp(b)}" for a, b in zip(T, y)))
    assert main(["fit", str(p), "--models", "arrhenius,vtf", "--plot", str(tmp_path / "f.png"),
                 "--csv", str(tmp_path / "t.csv")]) == 0
    out = capsys.readouterr().out
    assert "arrhenius" in out and "E_a [eV]" in out
    assert (tmp_path / "f.png").stat().st_size > 0 and (tmp_path / "t.csv").exists()
    assert main(["fit", str(p), "--json", "--sigma-is", "sigmaT"]) == 0
    obj = json.loads(capsys.readouterr().out)
    assert {r["model"] for r in obj["rows"]} == set(q.MODEL_NAMES)
    assert main(["fit", str(p), "--models", "power"]) == 2
    assert "models" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["fit", "--help"])
    assert "T [K]" in capsys.readouterr().out
