// quasiion._core.kubo: thermoelectric moments, Kubo-Greenwood and KPM conductivity of
// real-space supercells, real-space mean field. Conversion and GIL release only.
#include <cstring>
#include <string>
#include <vector>

#include <pybind11/eigen.h>
#include <pybind11/stl.h>

#include "bindings.hpp"
#include "quasiion/errors.hpp"
#include "quasiion/interstitial.hpp"
#include "quasiion/kubo.hpp"
#include "quasiion/lattice.hpp"
#include "quasiion/lattice_transport.hpp"
#include "quasiion/transport.hpp"

namespace py = pybind11;

namespace quasiion::bindings {

namespace {

py::dict to_dict(transport::Thermoelectric&& t) {
  py::dict d;
  d["sigma"] = py::cast(std::move(t.sigma));
  d["log_sigma"] = py::cast(std::move(t.log_sigma));
  d["seebeck"] = py::cast(std::move(t.seebeck));
  d["kappa"] = py::cast(std::move(t.kappa));
  d["lorenz"] = py::cast(std::move(t.lorenz));
  return d;
}

kubo::Options options(const Eigen::VectorXd& direction, double eta, double volume, double z,
                      const std::string& eigensolver = "auto") {
  kubo::Options o;
  using R = kubo::Options::Eigen_route;
  if (eigensolver == "auto") o.eigen_route = R::automatic;
  else if (eigensolver == "dense") o.eigen_route = R::dense;
  else if (eigensolver == "band") o.eigen_route = R::band;
  else throw InvalidArgument("eigensolver = '" + eigensolver + "': must be 'auto', 'dense' or 'band'");
  o.direction = direction;
  o.eta = eta;
  o.volume_cm3 = volume;
  o.charge_number = z;
  return o;
}

}  // namespace

void bind_kubo(py::module_& m) {
  m.def(
      "_register_dgemm",
      [](const py::object& capsule) {
        if (capsule.is_none()) {
          kubo::set_dgemm(nullptr);
          return;
        }
        PyObject* c = capsule.ptr();
        const char* want = "void (char *, char *, int *, int *, int *, ";
        const char* name = PyCapsule_CheckExact(c) ? PyCapsule_GetName(c) : nullptr;
        if (name == nullptr || std::strncmp(name, want, std::strlen(want)) != 0)
          throw InvalidArgument("dgemm = an object that is not scipy.linalg.cython_blas's dgemm "
                                "capsule: must be a PyCapsule with signature starting '" +
                                std::string(want) + "'");
        void* p = PyCapsule_GetPointer(c, name);
        if (p == nullptr) throw py::error_already_set();
        kubo::set_dgemm(reinterpret_cast<kubo::dgemm_fn>(p));
      },
      py::arg("capsule"), "Registers BLAS dgemm from a scipy.linalg.cython_blas capsule (None clears).");
  m.def("_has_dgemm", &kubo::has_dgemm);
  m.def(
      "chain_thermoelectric",
      [](const interstitial::Chain& c, int nk, const std::vector<int>& bands, double tau,
         double n0, double z, const Eigen::ArrayXd& mu, const Eigen::ArrayXd& T, int threads) {
        transport::Thermoelectric t;
        {
          py::gil_scoped_release release;
          const interstitial::ChainBoltzmann b(c, nk, bands, {tau, n0, z}, Execution{threads});
          t = b.thermoelectric(mu, T, Execution{threads});
        }
        return to_dict(std::move(t));
      },
      py::arg("chain"), py::arg("nk"), py::arg("bands"), py::arg("tau"), py::arg("n0"),
      py::arg("z"), py::arg("mu"), py::arg("T"), py::arg("threads") = 0,
      "Eq 30's moments for the chain: dict of sigma (S/cm), log_sigma, seebeck (V/K), kappa "
      "(W/(cm K)), lorenz (V^2/K^2).");
  m.def(
      "lattice_thermoelectric",
      [](const lattice::Lattice& lat, const Eigen::MatrixXd& k, const Eigen::VectorXd& direction,
         const std::vector<int>& bands, double tau, double n0, double z, const Eigen::ArrayXd& mu,
         const Eigen::ArrayXd& T, int threads) {
        transport::Thermoelectric t;
        {
          py::gil_scoped_release release;
          t = lattice::boltzmann_thermoelectric(lat, k, direction, bands, {tau, n0, z}, mu, T,
                                                Execution{threads});
        }
        return to_dict(std::move(t));
      },
      py::arg("lattice"), py::arg("k"), py::arg("direction"), py::arg("bands"), py::arg("tau"),
      py::arg("n0"), py::arg("z"), py::arg("mu"), py::arg("T"), py::arg("threads") = 0);
  m.def("broadening_from_tau", &kubo::broadening_from_tau, py::arg("tau"));
  m.def(
      "conductivity",
      [](const lattice::Lattice& lat, const Eigen::MatrixXd& k, const Eigen::ArrayXd& kw,
         const Eigen::VectorXd& direction, double eta, double volume, double z,
         const Eigen::ArrayXd& mu, const Eigen::ArrayXd& T, int threads,
         const std::string& eigensolver) {
        const kubo::Options o = options(direction, eta, volume, z, eigensolver);
        py::gil_scoped_release release;
        return kubo::conductivity(lat, k, kw, o, mu, T, Execution{threads});
      },
      py::arg("lattice"), py::arg("k"), py::arg("k_weights"), py::arg("direction"), py::arg("eta"),
      py::arg("volume"), py::arg("z"), py::arg("mu"), py::arg("T"), py::arg("threads") = 0,
      py::arg("eigensolver") = "auto",
      "Kubo-Greenwood DC sigma(mu[i], T[i]) in S/cm.");
  m.def(
      "optical_conductivity",
      [](const lattice::Lattice& lat, const Eigen::MatrixXd& k, const Eigen::ArrayXd& kw,
         const Eigen::VectorXd& direction, double eta, double volume, double z, double mu, double T,
         const Eigen::ArrayXd& omega, int threads, const std::string& eigensolver) {
        const kubo::Options o = options(direction, eta, volume, z, eigensolver);
        py::gil_scoped_release release;
        return kubo::optical_conductivity(lat, k, kw, o, mu, T, omega, Execution{threads});
      },
      py::arg("lattice"), py::arg("k"), py::arg("k_weights"), py::arg("direction"), py::arg("eta"),
      py::arg("volume"), py::arg("z"), py::arg("mu"), py::arg("T"), py::arg("hbar_omega"),
      py::arg("threads") = 0, py::arg("eigensolver") = "auto", "Re sigma(omega) in S/cm at photon energies hbar*omega (eV).");
  m.def(
      "kpm_sigma_E",
      [](const lattice::Lattice& lat, const Eigen::VectorXd& k, const Eigen::VectorXd& direction,
         double eta, double volume, double z, int n_moments, int n_random, int n_energies,
         std::uint64_t seed, double memory_bytes, int threads) {
        kubo::KpmOptions ko;
        ko.n_moments = n_moments;
        ko.n_random = n_random;
        ko.n_energies = n_energies;
        ko.seed = seed;
        ko.memory_bytes = memory_bytes;
        kubo::KpmResult r;
        {
          py::gil_scoped_release release;
          r = kubo::kpm_sigma_E(lat, k, options(direction, eta, volume, z), ko, Execution{threads});
        }
        py::dict d;
        d["energy"] = py::cast(r.energy);
        d["sigma_E"] = py::cast(r.sigma_E);
        d["samples"] = py::cast(r.sigma_E_samples);
        d["resolution"] = r.resolution;
        d["e_min"] = r.e_min;
        d["e_max"] = r.e_max;
        d["energy_batch"] = r.energy_batch;
        return d;
      },
      py::arg("lattice"), py::arg("k"), py::arg("direction"), py::arg("eta"), py::arg("volume"),
      py::arg("z"), py::arg("n_moments"), py::arg("n_random"), py::arg("n_energies"),
      py::arg("seed"), py::arg("memory_bytes"), py::arg("threads") = 0);
  m.def(
      "kpm_thermal_average",
      [](const Eigen::ArrayXd& energy, const Eigen::ArrayXXd& samples, const Eigen::ArrayXd& mu,
         const Eigen::ArrayXd& T) {
        kubo::KpmResult r;
        r.energy = energy;
        r.sigma_E_samples = samples;
        return kubo::kpm_thermal_average(r, mu, T);
      },
      py::arg("energy"), py::arg("samples"), py::arg("mu"), py::arg("T"),
      "(len(mu), 2): sigma (S/cm) and its standard error over the random vectors.");
}

}  // namespace quasiion::bindings
