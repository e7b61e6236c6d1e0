// quasiion._core.potential: migration profiles -> densities -> tight-binding parameters.
#include <pybind11/eigen.h>
#include <pybind11/stl.h>

#include "bindings.hpp"
#include "quasiion/potential.hpp"
#include "quasiion/profile.hpp"
#include "quasiion/validate.hpp"

namespace py = pybind11;

namespace quasiion::bindings {

namespace {

potential::Method parse_method(const std::string& m) {
  if (m == "narrow-well") return potential::Method::NarrowWell;
  if (m == "overlap") return potential::Method::Overlap;
  validate::fail("method", "'" + m + "'", "one of 'narrow-well', 'overlap'");
}

py::dict to_dict(const potential::TightBinding& r) {
  py::dict d;
  d["T"] = r.T;
  d["U_A"] = r.U_A;
  d["U_B"] = r.U_B;
  d["J0"] = r.J0;
  d["Ea_AB"] = r.Ea_AB;
  d["Ea_BA"] = r.Ea_BA;
  d["U_max"] = r.U_max;
  d["a"] = r.a;
  d["J_right"] = r.J_right;
  d["J_left"] = r.J_left;
  d["band_gap"] = r.band_gap;
  d["well_A"] = r.well_A;
  d["well_B"] = r.well_B;
  return d;
}

potential::ThermalOptions options(double thermalisation, double E_s, int max_hops) {
  potential::ThermalOptions o;
  o.thermalisation = thermalisation;
  o.E_s = E_s;
  o.max_hops = max_hops;
  return o;
}

}  // namespace

void bind_potential(py::module_& m) {
  using potential::Landscape;
  using potential::Profile;

  py::class_<potential::Well>(m, "Well", "A well (minimum) of a profile; energies eV, positions Angstrom.")
      .def_readonly("x", &potential::Well::x)
      .def_readonly("U", &potential::Well::U)
      .def_readonly("x_left", &potential::Well::x_left)
      .def_readonly("x_right", &potential::Well::x_right)
      .def_readonly("U_left", &potential::Well::U_left)
      .def_readonly("U_right", &potential::Well::U_right)
      .def_readonly("barrier_left", &potential::Well::barrier_left)
      .def_readonly("barrier_right", &potential::Well::barrier_right)
      .def_readonly("at_end", &potential::Well::at_end)
      .def_property_readonly("E_top", &potential::Well::E_top);
  py::class_<potential::Barrier>(m, "Barrier", "A barrier (maximum) of a profile.")
      .def_readonly("x", &potential::Barrier::x)
      .def_readonly("U", &potential::Barrier::U)
      .def_readonly("at_end", &potential::Barrier::at_end);

  py::class_<Profile>(m, "Profile", "A sampled 1D profile U(x) (PCHIP), its wells and barriers.")
      .def(py::init([](const Eigen::ArrayXd& x, const Eigen::ArrayXd& U, bool periodic, double prominence) {
             py::gil_scoped_release release;
             return Profile(x, U, periodic, prominence);
           }),
           py::arg("x"), py::arg("U"), py::arg("periodic"), py::arg("prominence") = -1.0)
      .def_static("eq45",
                  [](double alpha, double U_bar, double a, int samples) {
                    py::gil_scoped_release release;
                    return Profile::eq45(alpha, U_bar, a, samples);
                  },
                  py::arg("alpha"), py::arg("U_bar"), py::arg("a"),
                  py::arg("samples") = 4096)
      .def("__call__",
           [](const Profile& p, const Eigen::ArrayXd& x) {
             py::gil_scoped_release release;
             return p.values(x);
           },
           py::arg("x"))
      .def("derivative",
           [](const Profile& p, const Eigen::ArrayXd& x) {
             Eigen::ArrayXd out(x.size());
             for (Eigen::Index i = 0; i < x.size(); ++i) out[i] = p.derivative(x[i]);
             return out;
           },
           py::arg("x"))
      .def_property_readonly("periodic", &Profile::periodic)
      .def_property_readonly("period", &Profile::period)
      .def_property_readonly("x_begin", &Profile::x_begin)
      .def_property_readonly("x_end", &Profile::x_end)
      .def_property_readonly("prominence", &Profile::prominence)
      .def_property_readonly("x_samples", &Profile::x_samples)
      .def_property_readonly("U_samples", &Profile::U_samples)
      .def_property_readonly("wells", &Profile::wells)
      .def_property_readonly("barriers", &Profile::barriers);

  auto lc = py::class_<Landscape>(m, "Landscape",
                        "Orbit tables of every well of a Profile and the densities and tight-binding "
                        "parameters derived from them.")
      .def(py::init([](const Profile& p, int energy_nodes, int panels, int threads) {
             py::gil_scoped_release release;
             return Landscape(p, energy_nodes, panels, interruptible(threads));
           }),
           py::arg("profile"), py::arg("energy_nodes") = 257, py::arg("panels") = 32,
           py::arg("threads") = 0)
      .def_property_readonly("profile", &Landscape::profile)
      .def_property_readonly("n_wells", &Landscape::n_wells)
      .def("orbit",
           [](const Landscape& l, int well, double E) {
             const auto o = l.orbit(well, E);
             return py::make_tuple(o.x_minus, o.x_plus, o.T, o.U_mean);
           },
           py::arg("well"), py::arg("E"),
           "(x_minus, x_plus, T = int dx/sqrt(E-U) [A/sqrt(eV)], time-averaged U [eV])")
      .def("oscillation_period", &Landscape::oscillation_period, py::arg("well"), py::arg("E"),
           py::arg("mass"))
      .def("classical_density",
           [](const Landscape& l, int well, double E, const Eigen::ArrayXd& x) {
             py::gil_scoped_release release;
             return l.classical_density(well, E, x);
           },
           py::arg("well"), py::arg("E"), py::arg("x"))
      .def("well_mean_U", &Landscape::well_mean_U, py::arg("well"), py::arg("kT"),
           py::arg("thermalisation") = 0.0)
      .def("host_parts",
           [](const Landscape& l, int host, double T, double th, double E_s, int max_hops) {
             const auto parts = l.host_parts(host, T, options(th, E_s, max_hops));
             py::list out;
             for (const auto& p : parts) out.append(py::make_tuple(p.well, p.shift, p.offset, p.weight));
             return out;
           },
           py::arg("host"), py::arg("T"), py::arg("thermalisation") = 0.0,
           py::arg("E_s") = std::numeric_limits<double>::infinity(), py::arg("max_hops") = 1,
           "[(well, shift in periods, site offset, weight)] of the x0-host density")
      .def("thermal_density",
           [](const Landscape& l, int host, const Eigen::ArrayXd& T, const Eigen::ArrayXd& x,
              double th, double E_s, int max_hops, int threads) {
             py::gil_scoped_release release;
             return l.thermal_density(host, T, options(th, E_s, max_hops), x, interruptible(threads));
           },
           py::arg("host"), py::arg("T"), py::arg("x"), py::arg("thermalisation") = 0.0,
           py::arg("E_s") = std::numeric_limits<double>::infinity(), py::arg("max_hops") = 1,
           py::arg("threads") = 0, "x0-host densities, shape (len(T), len(x)), 1/Angstrom")
      .def("tight_binding",
           [](const Landscape& l, const Eigen::ArrayXd& T, const std::string& method, double th,
              int threads) {
             const auto meth = parse_method(method);
             std::vector<potential::TightBinding> rs;
             {
               py::gil_scoped_release release;
               rs = l.tight_binding(T, meth, th, interruptible(threads));
             }
             py::list out;
             for (const auto& r : rs) out.append(to_dict(r));
             return out;
           },
           py::arg("T"), py::arg("method") = "narrow-well", py::arg("thermalisation") = 0.0,
           py::arg("threads") = 0, "list of dicts (one per T) of the two-site parameters");
  lc.def(
      "tight_binding_arrays",
      [](const Landscape& l, const Eigen::Ref<const Eigen::ArrayXd>& T, const std::string& method,
         double th, int threads) {
        const auto meth = parse_method(method);
        std::vector<potential::TightBinding> rs;
        {
          py::gil_scoped_release release;
          rs = l.tight_binding(T, meth, th, Execution{threads});
        }
        // One array per field: a sweep over many T builds no Python object per temperature.
        const auto n = static_cast<Eigen::Index>(rs.size());
        py::dict d;
        const auto col = [&](const char* name, auto get) {
          Eigen::ArrayXd a(n);
          for (Eigen::Index i = 0; i < n; ++i) a[i] = get(rs[static_cast<std::size_t>(i)]);
          d[name] = py::cast(std::move(a));
        };
        col("T", [](const potential::TightBinding& r) { return r.T; });
        col("U_A", [](const potential::TightBinding& r) { return r.U_A; });
        col("U_B", [](const potential::TightBinding& r) { return r.U_B; });
        col("J0", [](const potential::TightBinding& r) { return r.J0; });
        col("Ea_AB", [](const potential::TightBinding& r) { return r.Ea_AB; });
        col("Ea_BA", [](const potential::TightBinding& r) { return r.Ea_BA; });
        col("band_gap", [](const potential::TightBinding& r) { return r.band_gap; });
        col("J_right", [](const potential::TightBinding& r) { return r.J_right; });
        col("J_left", [](const potential::TightBinding& r) { return r.J_left; });
        d["U_max"] = rs.empty() ? 0.0 : rs.front().U_max;
        d["a"] = rs.empty() ? 0.0 : rs.front().a;
        d["well_A"] = rs.empty() ? 0 : rs.front().well_A;
        d["well_B"] = rs.empty() ? 0 : rs.front().well_B;
        return d;
      },
      py::arg("T"), py::arg("method") = "narrow-well", py::arg("thermalisation") = 0.0,
      py::arg("threads") = 0, "dict of arrays (one entry per T) of the two-site parameters");
}

}  // namespace quasiion::bindings
