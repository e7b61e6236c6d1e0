#include <cmath>
#include <vector>

#include "check.hpp"
#include "quasiion/constants.hpp"
#include "quasiion/errors.hpp"
#include "quasiion/fermi.hpp"
#include "quasiion/interstitial.hpp"
#include "quasiion/kubo.hpp"
#include "quasiion/transport.hpp"

using namespace quasiion;

namespace {
// N cells of the interstitial chain, periodic: A at c a + a/2, B at c a, bonds J0/2.
lattice::Lattice chain(int N, double UA, double UB, double J0, double a) {
  Eigen::MatrixXd vec(1, 1), pos(2 * N, 1);
  vec(0, 0) = N * a;
  Eigen::VectorXd on(2 * N);
  std::vector<lattice::Hopping> hops;
  for (int c = 0; c < N; ++c) {
    pos(2 * c, 0) = c * a + a / 2;
    pos(2 * c + 1, 0) = c * a;
    on[2 * c] = UA;
    on[2 * c + 1] = UB;
    Eigen::VectorXi R0(1), R1(1);
    R0 << 0;
    R1 << (c + 1 == N ? 1 : 0);
    hops.push_back({2 * c, 2 * c + 1, R0, J0 / 2});
    hops.push_back({2 * c, (2 * c + 3) % (2 * N), R1, J0 / 2});
  }
  return lattice::Lattice(vec, pos, on, hops);
}
}  // namespace

TEST_CASE("window moments equal brute-force weighted moments") {
  const int n = 501;
  Eigen::ArrayXd e(n), w(n);
  for (int i = 0; i < n; ++i) {
    e[i] = -0.3 + 0.1 * std::cos(2 * M_PI * i / n);
    w[i] = 1.0 + 0.5 * std::sin(3.0 * i);
  }
  transport::FermiWindowSum s(e, w);
  for (double mu : {-0.5, -0.3, 0.2})
    for (double kT : {0.01, 0.05}) {
      double s0 = 0, s1 = 0, s2 = 0;
      for (int i = 0; i < n; ++i) {
        const double p = w[i] * fermi::minus_derivative(e[i], mu, kT);
        s0 += p;
        s1 += p * (e[i] - mu);
        s2 += p * (e[i] - mu) * (e[i] - mu);
      }
      const auto m = s.moments(mu, kT);
      CHECK_CLOSE(m.m0 * std::exp(m.log_scale), s0, 1e-12, 1e-300);
      CHECK_CLOSE(m.mean, s1 / s0, 1e-10, 1e-14);
      CHECK_CLOSE(m.variance, s2 / s0 - (s1 / s0) * (s1 / s0), 1e-8, 1e-16);
    }
}

TEST_CASE("Kubo-Greenwood of the perfect chain tends to eq 30, is >= 0 and thread independent") {
  const double UA = -0.4, UB = -0.2, J0 = -0.1, a = 4.0, tau = 1e-10, n0 = 1e22;
  const int N = 16;
  const auto lat = chain(N, UA, UB, J0, a);
  kubo::Options o;
  o.eta = kubo::broadening_from_tau(tau);
  o.volume_cm3 = N / n0;
  Eigen::ArrayXd mu(4), T(4);
  mu << -0.45, -0.3, -0.17, 0.0;
  T.setConstant(400.0);
  const Eigen::MatrixXd k0 = Eigen::MatrixXd::Zero(1, 1);
  const Eigen::ArrayXd none(0);
  const auto s1 = kubo::conductivity(lat, k0, none, o, mu, T, Execution{1});
  const auto s2 = kubo::conductivity(lat, k0, none, o, mu, T, Execution{2});
  const interstitial::ChainBoltzmann ref({UA, UB, J0, a}, 1 << 14, {}, {tau, n0, 1.0});
  const auto b = ref(mu, T);
  for (int i = 0; i < 4; ++i) {
    CHECK(s1[i] >= 0.0);
    CHECK(s1[i] == s2[i]);
    CHECK_CLOSE(s1[i], b[i], 5e-8, 0.0);
  }
  o.eta = 0.0;
  CHECK_THROWS(kubo::conductivity(lat, k0, none, o, mu, T), InvalidArgument);
}

QI_TEST_MAIN
