// A C++ program using the installed quasiion core, as a kinetic Monte Carlo or device
// simulator would: the interstitial chain of paper section 3.1 (Fig 3 parameters, dU0 =
// |J0| = 0.1 eV), its bands (eq 18) across the zone, the conduction-band edge and effective
// mass, and the Boltzmann conductivity (eq 30) at a few chemical potentials.
#include <cmath>
#include <cstdio>
#include <exception>

#include <quasiion/constants.hpp>
#include <quasiion/interstitial.hpp>

int main() {
  using namespace quasiion;
  try {
    interstitial::Chain chain;
    chain.U_A = -0.4;  // eV
    chain.U_B = -0.2;  // eV
    chain.J0 = -0.1;   // eV
    chain.a = 4.0;     // Angstrom

    const int nk = 9;
    Eigen::ArrayXd k(nk);
    for (int i = 0; i < nk; ++i) k[i] = (-M_PI + 2.0 * M_PI * i / (nk - 1)) / chain.a;
    const Eigen::ArrayXXd E = interstitial::bands(chain, k);
    std::printf("# interstitial chain: U_A = %.2f eV, U_B = %.2f eV, J0 = %.2f eV, a = %.1f A\n",
                chain.U_A, chain.U_B, chain.J0, chain.a);
    std::printf("%12s %12s %12s\n", "k (1/A)", "E- (eV)", "E+ (eV)");
    for (int i = 0; i < nk; ++i) std::printf("%12.5f %12.6f %12.6f\n", k[i], E(i, 0), E(i, 1));

    const interstitial::BandEdge cbm = interstitial::band_edge(chain, 1, /*minimum=*/true);
    std::printf("conduction-band minimum %.6f eV at k = %.5f 1/A, m* = %.5g amu\n", cbm.energy,
                cbm.k, cbm.mass);

    const double T = 301.7;  // K: the paper's kT = 0.026 eV
    const double tau = interstitial::relaxation_time(6.94, chain.a, 0.0686);  // Li, s
    transport::Carriers carriers{tau, 1e22, 1.0};
    interstitial::ChainBoltzmann sigma(chain, 1 << 14, {}, carriers);
    Eigen::ArrayXd mu(3), Ts(3);
    mu << -0.35, -0.3, -0.1;
    Ts << T, T, T;
    const Eigen::ArrayXd s = sigma(mu, Ts);
    for (int i = 0; i < mu.size(); ++i)
      std::printf("sigma(mu = %+.2f eV, T = %.1f K) = %.4e S/cm\n", mu[i], T, s[i]);
    if (!(s > 0.0).all() || !std::isfinite(s.sum())) return 1;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "quasiion_embed: %s\n", e.what());
    return 1;
  }
  return 0;
}
