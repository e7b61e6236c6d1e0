#include <cmath>

#include "check.hpp"
#include "quasiion/constants.hpp"
#include "quasiion/errors.hpp"
#include "quasiion/interstitial.hpp"

using namespace quasiion;
using interstitial::Chain;

TEST_CASE("eq 18 and eq 19 agree with diagonalising eq 17 through the general lattice") {
  for (const Chain c : {Chain{-0.4, -0.2, 0.1, 3.0}, Chain{0.25, -0.25, -0.05, 2.0},
                        Chain{-0.3, 0.1, 0.6, 4.5}}) {
    Eigen::ArrayXd k = Eigen::ArrayXd::LinSpaced(41, -M_PI / c.a, M_PI / c.a);
    const auto e = interstitial::bands(c, k);
    const auto w = interstitial::site_A_weights(c, k);
    const auto s = interstitial::slopes(c, k);
    lattice::BandOptions opt;
    opt.eigenvectors = opt.velocities = true;
    const auto b = lattice::solve_bands(interstitial::to_lattice(c), k.matrix(), opt);
    for (Eigen::Index q = 0; q < k.size(); ++q)
      for (int n = 0; n < 2; ++n) {
        CHECK_CLOSE(e(q, n), b.energies(q, n), 1e-13, 1e-14);
        CHECK_CLOSE(w(q, n), std::norm(b.eigenvectors(q * 2 + 0, n)), 1e-10, 1e-12);
        CHECK_CLOSE(s(q, n), b.velocities(q, n), 1e-10, 1e-13);
      }
  }
}

TEST_CASE("numerical edge curvature equals the corrected closed form; eq 21 is 4x the k=0 one") {
  const Chain c{-0.4, -0.2, 0.1, 3.0};
  for (int band : {0, 1})
    for (bool mn : {true, false}) {
      const auto edge = interstitial::band_edge(c, band, mn);
      CHECK_CLOSE(edge.curvature, interstitial::curvature_closed_form(c, band, mn), 1e-6, 0);
    }
  const auto top = interstitial::band_edge(c, 1, false);
  CHECK(std::fabs(top.k) < 1e-12);
  CHECK_CLOSE(interstitial::curvature_eq21(c), 4.0 * std::fabs(top.curvature), 1e-6, 0);
  const auto cbm = interstitial::band_edge(c, 1, true);
  CHECK_CLOSE(cbm.k, M_PI / c.a, 1e-12, 0);
  CHECK_CLOSE(cbm.energy, c.U_B, 1e-14, 0);
}

TEST_CASE("a closed gap (dU0 = 0) has no parabolic edge at pi/a") {
  const Chain c{-0.3, -0.3, 0.1, 3.0};
  CHECK_THROWS(interstitial::band_edge(c, 1, true), InvalidArgument);
}

TEST_CASE("Boltzmann conductivity tends to the effective-mass Drude limit deep in the gap") {
  // Non-degenerate (mu 20 kT below the conduction-band minimum) and kT << band width, so the
  // thermal carriers see a parabolic band: sigma -> (ze)^2 tau n_c / m* with n_c the Boltzmann
  // tail of a 1D band, n_c = n0 a sqrt(kT / (2 pi C)) e^{-(Ec - mu)/kT}, C = d^2E/dk^2.
  // The residual is the band's non-parabolicity, first order in kT / width.
  const Chain c{-0.4, -0.2, 0.1, 3.0};
  transport::Carriers car{1e-13, 1e22, 1.0};
  interstitial::ChainBoltzmann boltz(c, 1 << 16, {1}, car);
  const auto edge = interstitial::band_edge(c, 1, true);
  double err[2];
  for (int i = 0; i < 2; ++i) {
    const double T = 1.0 + i, kT = constants::kT_eV(T), mu = edge.energy - 20 * kT;
    Eigen::ArrayXd m(1), t(1);
    m << mu;
    t << T;
    const double sb = boltz(m, t)[0];
    const double tail = std::exp(-(edge.energy - mu) / kT);
    const double nc_over_n0 = c.a * std::sqrt(kT / (2 * M_PI * edge.curvature)) * tail;
    const double sd = interstitial::nernst_einstein(c, m, t, car, 1, 1.0)[0] / tail * nc_over_n0;
    err[i] = sb / sd - 1.0;
  }
  // E = Ec + eps - b eps^2 + ... with eps the parabolic part and
  // b = 2|dU0|/(3 J0^2) + 1/(2|dU0|) (expand eq 18 at pi/a): the relative error is O(b kT).
  const double b = 2 * 0.1 / (3 * 0.01) + 1 / (2 * 0.1);
  CHECK(std::fabs(err[0]) < 3 * b * constants::kT_eV(1.0));
  CHECK(std::fabs(err[0]) > 0.5 * b * constants::kT_eV(1.0));
  CHECK_CLOSE(err[1] / err[0], 2.0, 0.05, 0);
}

TEST_CASE("relaxation time and Drude diffusivity units") {
  // tau = sqrt(m a^2 / 2Ea): 7 amu, 3 A, 0.1 eV.
  const double m = 7 * constants::amu_kg, a = 3e-10, E = 0.1 * constants::elementary_charge;
  CHECK_CLOSE(interstitial::relaxation_time(7, 3, 0.1), std::sqrt(m * a * a / (2 * E)), 1e-14, 0);
  CHECK_THROWS(interstitial::relaxation_time(7, 3, 0.0), InvalidArgument);
  CHECK_THROWS(interstitial::relaxation_time(7, -3, 0.1), InvalidArgument);
}

QI_TEST_MAIN
