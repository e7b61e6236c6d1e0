// quasiion._core.onsager: conversion and GIL release only; the physics is in onsager.hpp.
#include <string>
#include <utility>

#include <pybind11/eigen.h>
#include <pybind11/numpy.h>
#include <pybind11/stl.h>

#include "bindings.hpp"
#include "quasiion/errors.hpp"
#include "quasiion/onsager.hpp"

namespace py = pybind11;

namespace quasiion::bindings {

namespace {

onsager::TauMethod tau_method(const std::string& s) {
  if (s == "exact") return onsager::TauMethod::Exact;
  if (s == "eq39") return onsager::TauMethod::Eq39;
  if (s == "eq46") return onsager::TauMethod::Eq46;
  throw InvalidArgument("method = '" + s + "': must be one of 'exact', 'eq39', 'eq46'");
}

onsager::RootRule root_rule(const std::string& s) {
  if (s == "lowest_free_energy") return onsager::RootRule::LowestFreeEnergy;
  if (s == "smallest") return onsager::RootRule::Smallest;
  if (s == "largest") return onsager::RootRule::Largest;
  throw InvalidArgument("rule = '" + s +
                        "': must be one of 'lowest_free_energy', 'smallest', 'largest'");
}

onsager::Model make_model(double J0e, double U0e, double J0i, double U0i, double K0, double Ka,
                          double a) {
  onsager::Model m{J0e, U0e, J0i, U0i, K0, Ka, a};
  onsager::validate_model(m);
  return m;
}

py::dict solution_dict(const onsager::CouplingSolution& s) {
  py::dict d;
  d["S"] = s.S;
  d["xi0"] = s.xi0;
  d["roots"] = s.roots;
  d["residuals"] = s.residuals;
  d["omega"] = s.omega;
  d["chosen"] = s.chosen;
  d["rules_disagree"] = s.rules_disagree;
  d["intercell"] = s.intercell;
  d["n_k"] = s.n_k;
  return d;
}

}  // namespace

void bind_onsager(py::module_& m) {
  using onsager::Model;
  py::class_<Model>(m, "Model", "Two-species chain of eq 33 (energies eV, a in Angstrom)")
      .def(py::init(&make_model), py::arg("J0e"), py::arg("U0e"), py::arg("J0i"), py::arg("U0i"),
           py::arg("K0") = 0.0, py::arg("Ka") = 0.0, py::arg("a") = 1.0)
      .def_readonly("J0e", &Model::J0e)
      .def_readonly("U0e", &Model::U0e)
      .def_readonly("J0i", &Model::J0i)
      .def_readonly("U0i", &Model::U0i)
      .def_readonly("K0", &Model::K0)
      .def_readonly("Ka", &Model::Ka)
      .def_readonly("a", &Model::a);

  m.def(
      "electron_from_physical",
      [](double m_eff, double chi_e, double a) {
        const auto e = onsager::electron_from_physical(m_eff, chi_e, a);
        return py::make_tuple(e.J0e, e.U0e);
      },
      py::arg("m_eff"), py::arg("chi_e"), py::arg("a"),
      "(J0e, U0e) in eV from m_e* (in m_0), chi_e (eV), a (Angstrom): appendix 5.3.");
  m.def("free_electron_hopping", &onsager::free_electron_hopping, py::arg("a"),
        "hbar^2/(m_0 a^2) in eV for a in Angstrom.");
  m.def("delta_J", &onsager::delta_J, py::arg("model"), py::arg("ka"));
  m.def("xi0", &onsager::xi0, py::arg("model"), py::arg("S"));
  m.def("hamiltonian", &onsager::hamiltonian, py::arg("model"), py::arg("S"), py::arg("k"));
  m.def(
      "bands",
      [](const Model& md, double S, const Eigen::ArrayXd& k, int threads) {
        onsager::Bands b;
        {
          py::gil_scoped_release release;
          b = onsager::bands(md, S, k, interruptible(threads));
        }
        return py::make_tuple(b.E_plus, b.E_minus, b.electron_plus, b.electron_minus, b.xi);
      },
      py::arg("model"), py::arg("S"), py::arg("k"), py::arg("threads") = 0,
      "(E_plus, E_minus, electron weight of +, electron weight of -, xi_k) at k (1/Angstrom).");

  m.def(
      "coupling_map",
      [](const Model& md, double S, double mu_e, double mu_i, double T, int n_k) {
        py::gil_scoped_release release;
        return onsager::coupling_map(md, S, {mu_e, mu_i, T}, n_k);
      },
      py::arg("model"), py::arg("S"), py::arg("mu_e"), py::arg("mu_i"), py::arg("T"),
      py::arg("n_k"));
  m.def(
      "grand_potential",
      [](const Model& md, double S, double mu_e, double mu_i, double T, int n_k) {
        py::gil_scoped_release release;
        return onsager::grand_potential(md, S, {mu_e, mu_i, T}, n_k);
      },
      py::arg("model"), py::arg("S"), py::arg("mu_e"), py::arg("mu_i"), py::arg("T"),
      py::arg("n_k"));
  m.def(
      "solve_coupling",
      [](const Model& md, const Eigen::ArrayXd& mu_e, const Eigen::ArrayXd& mu_i, double T,
         int n_k, int n_scan, const std::string& rule, int threads) {
        onsager::CouplingOptions opt;
        opt.n_k = n_k;
        opt.n_scan = n_scan;
        opt.rule = root_rule(rule);
        std::vector<onsager::CouplingSolution> sols;
        {
          py::gil_scoped_release release;
          sols = onsager::solve_coupling_scan(md, mu_e, mu_i, T, opt, interruptible(threads));
        }
        py::list out;
        for (const auto& s : sols) out.append(solution_dict(s));
        return out;
      },
      py::arg("model"), py::arg("mu_e"), py::arg("mu_i"), py::arg("T"), py::arg("n_k") = 0,
      py::arg("n_scan") = 400, py::arg("rule") = "lowest_free_energy", py::arg("threads") = 0,
      "Self-consistent |S| for each (mu_e[i], mu_i[i]); a list of dicts.");

  m.def(
      "tau_ratio",
      [](const Eigen::Ref<const Eigen::ArrayXd>& j, const Eigen::Ref<const Eigen::ArrayXd>& r,
         const Eigen::Ref<const Eigen::ArrayXd>& xi, const std::string& method, int threads) {
        const auto meth = tau_method(method);
        py::gil_scoped_release release;
        return onsager::tau_ratio(j, r, xi, meth, interruptible(threads));
      },
      py::arg("j"), py::arg("rho_ratio"), py::arg("xi0"), py::arg("method") = "exact",
      py::arg("threads") = 0);
  m.def(
      "onsager_reduced",
      [](const Eigen::Ref<const Eigen::ArrayXd>& j, const Eigen::Ref<const Eigen::ArrayXd>& r,
         const Eigen::Ref<const Eigen::ArrayXd>& xi, const Eigen::Ref<const Eigen::ArrayXd>& t,
         const std::string& method, int threads) {
        const auto meth = tau_method(method);
        onsager::OnsagerArrays o;
        py::array_t<double> L;
        {
          py::gil_scoped_release release;
          o = onsager::onsager_reduced(j, r, xi, t, meth, interruptible(threads));
        }
        // The matrix as an (n, 2, 2) array, so Python need not stack four arrays.
        const auto n = static_cast<py::ssize_t>(o.ee.size());
        L = py::array_t<double>({n, py::ssize_t{2}, py::ssize_t{2}});
        auto Lm = L.mutable_unchecked<3>();
        for (py::ssize_t i = 0; i < n; ++i) {
          Lm(i, 0, 0) = o.ee[i];
          Lm(i, 0, 1) = o.ei[i];
          Lm(i, 1, 0) = o.ie[i];
          Lm(i, 1, 1) = o.ii[i];
        }
        py::dict d;
        d["L"] = L;
        // Moved, not copied, into numpy.
        d["tau_ratio"] = py::cast(std::move(o.t));
        d["tau_excess"] = py::cast(std::move(o.dt));
        d["ee"] = py::cast(std::move(o.ee));
        d["ei"] = py::cast(std::move(o.ei));
        d["ie"] = py::cast(std::move(o.ie));
        d["ii"] = py::cast(std::move(o.ii));
        d["alpha_i"] = py::cast(std::move(o.alpha_i));
        d["alpha_e"] = py::cast(std::move(o.alpha_e));
        return d;
      },
      py::arg("j"), py::arg("rho_ratio"), py::arg("xi0"), py::arg("tau_ratio"),
      py::arg("method") = "exact", py::arg("threads") = 0,
      "Reduced eq 38 matrix (L / (tau- a^2 rho_i |J0i| / hbar^2)); tau_ratio empty = from method.");
  m.def(
      "alpha_star_closed",
      [](const Eigen::Ref<const Eigen::ArrayXd>& j, const Eigen::Ref<const Eigen::ArrayXd>& r,
         const Eigen::Ref<const Eigen::ArrayXd>& xi, int threads) {
        py::gil_scoped_release release;
        return onsager::alpha_star_closed(j, r, xi, interruptible(threads));
      },
      py::arg("j"), py::arg("rho_ratio"), py::arg("xi0"), py::arg("threads") = 0,
      "Eq 40-41: columns (alpha_i*, alpha_e*).");
  m.def(
      "branch_mobility",
      [](double j, double xi) {
        const auto b = onsager::branch_mobility(j, xi);
        return py::make_tuple(b.plus, b.minus);
      },
      py::arg("j"), py::arg("xi0"),
      "Eq 36-37 bracket in units of |J0i|: (d_plus, d_minus).");
  m.def("onsager_prefactor", &onsager::onsager_prefactor, py::arg("tau_minus"), py::arg("a"),
        py::arg("rho_i"), py::arg("J0i"),
        "tau- a^2 rho_i |J0i| / hbar^2 in 1/(eV cm s).");
}

}  // namespace quasiion::bindings
