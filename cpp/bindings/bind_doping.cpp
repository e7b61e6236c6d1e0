#include <pybind11/eigen.h>
#include <pybind11/functional.h>
#include <pybind11/stl.h>

#include "bindings.hpp"
#include "quasiion/doping.hpp"
#include "quasiion/validate.hpp"

namespace py = pybind11;

namespace quasiion::bindings {

namespace {

using namespace quasiion::doping;

Phase to_phase(const std::string& s) {
  if (s == "fixed") return Phase::fixed;
  if (s == "strict") return Phase::strict;
  validate::fail("phase", "'" + s + "'", "one of 'fixed', 'strict'");
}

Rule to_rule(const std::string& s) {
  if (s == "smallest") return Rule::smallest;
  if (s == "free-energy") return Rule::free_energy;
  validate::fail("rule", "'" + s + "'", "one of 'smallest', 'free-energy'");
}

Options make_options(const std::string& phase, const std::string& rule, int n_k,
                     double resolution_kT, bool uniform_scan, double k_refine = 1.0) {
  Options o;
  o.k_refine = k_refine;
  o.phase = to_phase(phase);
  o.rule = to_rule(rule);
  o.n_k = n_k;
  o.resolution_kT = resolution_kT;
  o.uniform_scan = uniform_scan;
  return o;
}

py::dict solution_dict(const Solution& s) {
  const auto n = static_cast<Eigen::Index>(s.roots.size());
  Eigen::ArrayXd S(n), res(n), om(n);
  Eigen::ArrayXi tangent(n), high(n);
  for (Eigen::Index i = 0; i < n; ++i) {
    const Root& r = s.roots[static_cast<std::size_t>(i)];
    S[i] = r.S;
    res[i] = r.residual;
    om[i] = r.grand_potential;
    tangent[i] = r.tangent;
    high[i] = r.high_branch;
  }
  py::dict d;
  d["mu"] = s.mu;
  d["T"] = s.T;
  d["roots"] = S;
  d["residuals"] = res;
  d["grand_potential"] = om;
  d["tangent"] = tangent;
  d["root_high_branch"] = high;
  d["selected"] = s.selected;
  d["smallest"] = s.smallest;
  d["lowest_omega"] = s.lowest_omega;
  d["rules_disagree"] = s.rules_disagree;
  d["S00"] = s.S00;
  d["high_branch"] = s.high_branch;
  d["filling"] = s.filling;
  d["n_k"] = s.n_k;
  return d;
}

}  // namespace

void bind_doping(py::module_& m) {
  py::class_<Chain>(m, "Chain", "Static chain parameters (eV, Angstrom) and K/a1 (eV).")
      .def(py::init([](double U_A, double U_B, double J0, double a, double K_over_a1,
                       double gamma) {
             Chain c{U_A, U_B, J0, a, K_over_a1, gamma};
             c.validate();
             return c;
           }),
           py::arg("U_A"), py::arg("U_B"), py::arg("J0"), py::arg("a"),
           py::arg("K_over_a1") = 1.5, py::arg("gamma") = 1.0)
      .def_readonly("U_A", &Chain::U_A)
      .def_readonly("U_B", &Chain::U_B)
      .def_readonly("J0", &Chain::J0)
      .def_readonly("a", &Chain::a)
      .def_readonly("K_over_a1", &Chain::K_over_a1)
      .def_readonly("gamma", &Chain::gamma)
      .def_property_readonly("S_max", &Chain::S_max);

  m.def("auto_k_points", &auto_k_points, py::arg("chain"), py::arg("kT"),
        "Half-zone quadrature points chosen from kT (eV) and the band parameters.");
  m.def(
      "auto_quadrature",
      [](const Chain& c, double kT, double refine) {
        const ZoneQuadrature q = auto_quadrature(c, kT, refine);
        return py::make_tuple(q.u, q.w);
      },
      py::arg("chain"), py::arg("kT"), py::arg("refine") = 1.0,
      "(u, w): nodes u = ka/2 in [0, pi/2] and weights (sum 1) of the automatic quadrature.");
  m.def(
      "gauss_legendre",
      [](int n) {
        ZoneQuadrature q;
        {
          py::gil_scoped_release release;
          q = ZoneQuadrature::gauss_legendre(n);
        }
        return py::make_tuple(q.u, q.w);
      },
      py::arg("n"), "(u, w): the n-point Gauss-Legendre rule on u in [0, pi/2], weights sum 1.");

  py::class_<MeanField>(m, "MeanField", "F(S) of eq 42, Omega(S) and the filling at one (mu, T).")
      .def(py::init([](const Chain& c, double mu, double T, const std::string& phase, int n_k,
                       double k_refine) {
             return MeanField(c, mu, T, to_phase(phase), n_k, k_refine);
           }),
           py::arg("chain"), py::arg("mu"), py::arg("T"), py::arg("phase") = "fixed",
           py::arg("n_k") = 0, py::arg("k_refine") = 1.0)
      .def("map", &MeanField::map, py::arg("S"))
      .def("grand_potential", &MeanField::grand_potential, py::arg("S"))
      .def("filling", &MeanField::filling, py::arg("S"))
      .def("map_on", &MeanField::map_on, py::arg("S"), py::arg("high"))
      .def("grand_potential_on", &MeanField::grand_potential_on, py::arg("S"), py::arg("high"))
      .def("high_branch", &MeanField::high_branch, py::arg("S"))
      .def("branches", &MeanField::branches)
      .def_property_readonly("n_k", &MeanField::n_k)
      .def_property_readonly("S_max", &MeanField::S_max)
      .def_property_readonly("kT", &MeanField::kT);

  m.def(
      "solve",
      [](const Chain& c, double mu, double T, const std::string& phase, const std::string& rule,
         int n_k, double resolution_kT, bool uniform_scan, double k_refine) {
        const Options o = make_options(phase, rule, n_k, resolution_kT, uniform_scan, k_refine);
        Solution s;
        {
          py::gil_scoped_release release;
          s = solve(c, mu, T, o);
        }
        return solution_dict(s);
      },
      py::arg("chain"), py::arg("mu"), py::arg("T"), py::arg("phase") = "fixed",
      py::arg("rule") = "smallest", py::arg("n_k") = 0, py::arg("resolution_kT") = 0.25,
      py::arg("uniform_scan") = false, py::arg("k_refine") = 1.0);

  m.def(
      "bands",
      [](const Chain& c, double S, bool high, const Eigen::ArrayXd& k) {
        py::gil_scoped_release release;
        return Eigen::ArrayXXd(bands(c, S, high, k));
      },
      py::arg("chain"), py::arg("S"), py::arg("high_branch"), py::arg("k"));
  m.def(
      "off_diagonal",
      [](const Chain& c, double S, bool high, const Eigen::ArrayXd& k) {
        py::gil_scoped_release release;
        return Eigen::ArrayXd(off_diagonal(c, S, high, k));
      },
      py::arg("chain"), py::arg("S"), py::arg("high_branch"), py::arg("k"));
  m.def(
      "band_edges",
      [](const Chain& c, double S, bool high) {
        const BandEdges e = band_edges(c, S, high);
        py::dict d;
        d["lower_min"] = e.lower_min;
        d["lower_max"] = e.lower_max;
        d["upper_min"] = e.upper_min;
        d["upper_max"] = e.upper_max;
        d["cbm_k"] = e.cbm_k;
        d["cbm_weight_A"] = e.cbm_weight_A;
        d["cbm_weight_B"] = e.cbm_weight_B;
        return d;
      },
      py::arg("chain"), py::arg("S"), py::arg("high_branch"));
  m.def(
      "carrier_formation_energy",
      [](const Chain& c, double S, bool high, double mu) {
        int carrier = 0;
        const double Et = carrier_formation_energy(band_edges(c, S, high), mu, &carrier);
        return py::make_tuple(Et, carrier);
      },
      py::arg("chain"), py::arg("S"), py::arg("high_branch"), py::arg("mu"));
  m.def(
      "conductivity",
      [](const Chain& c, double S, bool high, double mu, double T, double tau, double n0,
         double z, int n_k, bool both_bands) {
        py::gil_scoped_release release;
        return conductivity(c, S, high, mu, T, transport::Carriers{tau, n0, z}, n_k, both_bands);
      },
      py::arg("chain"), py::arg("S"), py::arg("high_branch"), py::arg("mu"), py::arg("T"),
      py::arg("tau"), py::arg("n0"), py::arg("z") = 1.0, py::arg("n_k") = 0,
      py::arg("both_bands") = false);

  m.def(
      "sweep",
      [](const Chain& c, const Eigen::ArrayXd& mu, const Eigen::ArrayXd& T,
         const std::string& phase, const std::string& rule, int n_k, double resolution_kT,
         bool uniform_scan, double tau, double n0, double z, int threads) {
        const Options o = make_options(phase, rule, n_k, resolution_kT, uniform_scan);
        Sweep w;
        {
          py::gil_scoped_release release;
          w = sweep(c, mu, T, o, transport::Carriers{tau, n0, z}, interruptible(threads));
        }
        py::dict d;
        d["mu"] = w.mu;
        d["T"] = w.T;
        d["S00"] = w.S00;
        d["grand_potential"] = w.grand_potential;
        d["filling"] = w.filling;
        d["sigma"] = w.sigma;
        d["E_t"] = w.E_t;
        d["upper_min"] = w.upper_min;
        d["upper_max"] = w.upper_max;
        d["lower_min"] = w.lower_min;
        d["lower_max"] = w.lower_max;
        d["cbm_weight_B"] = w.cbm_weight_B;
        d["n_roots"] = w.n_roots;
        d["selected"] = w.selected;
        d["carrier"] = w.carrier;
        d["high_branch"] = w.high_branch;
        d["rules_disagree"] = w.rules_disagree;
        d["n_k"] = w.n_k;
        d["roots"] = w.roots;
        d["root_grand_potential"] = w.root_grand_potential;
        return d;
      },
      py::arg("chain"), py::arg("mu"), py::arg("T"), py::arg("phase") = "fixed",
      py::arg("rule") = "smallest", py::arg("n_k") = 0, py::arg("resolution_kT") = 0.25,
      py::arg("uniform_scan") = false, py::arg("tau") = 1e-13, py::arg("n0") = 1e22,
      py::arg("z") = 1.0, py::arg("threads") = 0);

  m.def(
      "solve_filling",
      [](const Chain& c, double n, double T, const std::string& phase, const std::string& rule,
         int n_k, double resolution_kT) {
        const Options o = make_options(phase, rule, n_k, resolution_kT, false);
        FillingSolution f;
        {
          py::gil_scoped_release release;
          f = solve_filling(c, n, T, o);
        }
        py::dict d;
        d["target"] = f.target;
        d["mu"] = f.mu;
        d["solution"] = solution_dict(f.solution);
        d["coexistence"] = f.coexistence;
        d["filling_below"] = f.filling_below;
        d["filling_above"] = f.filling_above;
        d["evaluations"] = f.evaluations;
        return d;
      },
      py::arg("chain"), py::arg("n"), py::arg("T"), py::arg("phase") = "fixed",
      py::arg("rule") = "smallest", py::arg("n_k") = 0, py::arg("resolution_kT") = 0.25);
}

}  // namespace quasiion::bindings
