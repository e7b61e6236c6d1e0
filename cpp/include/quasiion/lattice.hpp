// A general tight-binding lattice in 1, 2 or 3 dimensions and its Bloch Hamiltonian.
//
// Model: d lattice vectors (rows of a d x d matrix, Angstrom), n_orb orbitals per cell at
// positions r_i (rows of an n_orb x d matrix, Angstrom), on-site energies eps_i (eV) and
// hoppings t_ij(R) (eV, complex) from orbital i in the home cell to orbital j in the cell at
// integer offset R in Z^d. Each bond is given once: the assembler adds its Hermitian partner
// t_ji(-R) = conj(t_ij(R)).
//
// Gauge ("cell gauge", convention I): the Bloch basis is |i,k> = N^-1/2 sum_R e^{ik.R} |i,R>,
// with the phase of the cell only, so
//     H_ij(k) = eps_i delta_ij + sum_R t_ij(R) exp(i k . R_cart),  R_cart = sum_a R_a a_a.
// H(k) is periodic in the reciprocal lattice. The paper's eq 17 is written in this gauge
// (H_AB = J0/2 (1 + e^{ika}) from the bonds A->B in the same cell and A->B in the cell at
// R = +1). Orbital positions do not enter the phases; eigenvalues and group velocities do
// not depend on the gauge, eigenvectors differ from the position gauge by the diagonal phases
// e^{ik.r_i}. Positions are kept for plots and for the real-space supercells to come.
//
// Group velocities by Hellmann-Feynman: dE_n/dk_a = <u_n| dH/dk_a |u_n>, with
// dH/dk_a = sum_R i R_cart,a t_ij(R) e^{ik.R_cart}, in eV*Angstrom. At an exact degeneracy
// the split between the degenerate states follows the solver's basis (a measure-zero set
// for a k-grid).
#pragma once

#include <array>
#include <complex>
#include <vector>

#include <Eigen/Core>

#include "quasiion/hermitian_solver.hpp"
#include "quasiion/parallel.hpp"
#include "quasiion/transport.hpp"

namespace quasiion::lattice {

struct Hopping {
  int i = 0;                   // orbital in the home cell, 0-based
  int j = 0;                   // orbital in the cell at offset R, 0-based
  Eigen::VectorXi R;           // cell offset, length d (integers)
  std::complex<double> t{};    // amplitude, eV
};

class Lattice {
 public:
  // vectors: d x d (rows are the lattice vectors, Angstrom, linearly independent, d = 1..3);
  // positions: n_orb x d (Angstrom); onsite: n_orb (eV); hoppings as above. Throws
  // InvalidArgument naming the offending parameter.
  Lattice(const Eigen::MatrixXd& vectors, const Eigen::MatrixXd& positions,
          const Eigen::VectorXd& onsite, const std::vector<Hopping>& hoppings);

  int dim() const { return static_cast<int>(vectors_.rows()); }
  int n_orbitals() const { return static_cast<int>(onsite_.size()); }
  const Eigen::MatrixXd& vectors() const { return vectors_; }
  const Eigen::MatrixXd& positions() const { return positions_; }
  const Eigen::VectorXd& onsite() const { return onsite_; }
  const std::vector<Hopping>& hoppings() const { return hoppings_; }

  // Rows b_i with a_i . b_j = 2 pi delta_ij, 1/Angstrom.
  Eigen::MatrixXd reciprocal_vectors() const;

  // H(k) (n_orb x n_orb, eV) at one k (length d, 1/Angstrom); not validated (hot path).
  void hamiltonian_into(const double* k, Eigen::MatrixXcd& H) const;
  // dH/dk_a (eV*Angstrom), a = 0..d-1; not validated (hot path).
  void derivative_into(const double* k, int a, Eigen::MatrixXcd& dH) const;

  // Validated versions for single k.
  Eigen::MatrixXcd hamiltonian(const Eigen::Ref<const Eigen::VectorXd>& k) const;
  Eigen::MatrixXcd derivative(const Eigen::Ref<const Eigen::VectorXd>& k, int a) const;

 private:
  // The hoppings grouped by distinct cell offset R, in order of first appearance: H(k) then
  // costs one phase exp(i k.R) per offset (one sin/cos pair) and one complex multiply-add per
  // hopping, instead of a sin/cos per hopping.
  struct Offset {
    std::array<double, 3> Rc;  // Cartesian offset, zero-padded to 3 components
    bool zero = false;         // R = 0: no phase
    std::vector<int> i, j;     // bonds i (home cell) -> j (cell R), as given
    std::vector<std::complex<double>> t;
  };
  Eigen::MatrixXd vectors_, positions_;
  Eigen::VectorXd onsite_;
  std::vector<Hopping> hoppings_;  // as given
  std::vector<Offset> offsets_;    // grouped (partners added on assembly)
};

struct BandOptions {
  bool eigenvectors = false;
  bool velocities = false;
};

struct Bands {
  // (nk, n_orb): eigenvalues ascending along each row, eV.
  Eigen::ArrayXXd energies;
  // (nk * n_orb, n_orb) if asked: rows [q*n_orb, (q+1)*n_orb) hold the unitary U(k_q) whose
  // column n is the eigenvector of energies(q, n) (orbital components, cell gauge).
  Eigen::MatrixXcd eigenvectors;
  // (nk, n_orb * d) if asked: velocities(q, n*d + a) = dE_n/dk_a at k_q, eV*Angstrom.
  Eigen::ArrayXXd velocities;
};

// Diagonalises H(k) at every row of k (nk x d, 1/Angstrom), in parallel over k. Results do
// not depend on the thread count.
Bands solve_bands(const Lattice& lat, const Eigen::Ref<const Eigen::MatrixXd>& k,
                  const BandOptions& opt = {}, const Execution& exec = {},
                  const HermitianSolver& solver = default_hermitian_solver());

// The uniform "midpoint" grid of n[0] x ... x n[d-1] points in the first Brillouin-zone
// parallelepiped: k = sum_a f_a b_a with f_a = -1/2 + (j_a + 1/2)/n_a. Symmetric under
// k -> -k and free of the zone boundary; for a smooth periodic integrand the average over it
// converges exponentially in n. Shape (prod n, d), 1/Angstrom.
Eigen::MatrixXd midpoint_kgrid(const Lattice& lat, const std::vector<int>& n);

// Boltzmann conductivity in the relaxation-time approximation (the d-dimensional form of
// paper eq 30) along Cartesian direction `direction` (unit vector, length d):
//     sigma(mu, T) = (z e)^2 n0 tau (1/N) sum_{k in grid, n in bands} v_n(k)^2 (-df/dE)(E_n(k)),
// v = (direction . grad_k E)/hbar, with n0 the density of unit cells (cm^-3) and the sum an
// average over the grid k (N rows, 1/Angstrom; pass midpoint_kgrid for a zone average).
// `bands` selects band indices (0-based, ascending energy); empty = all. mu (eV) and T (K) are
// paired (same length); returns sigma(mu[i], T[i]) in S/cm. The bands are computed once and
// sorted once (transport::FermiWindowSum); the pairs are evaluated in parallel.
Eigen::ArrayXd boltzmann_conductivity(const Lattice& lat, const Eigen::Ref<const Eigen::MatrixXd>& k,
                                       const Eigen::Ref<const Eigen::VectorXd>& direction,
                                       const std::vector<int>& bands,
                                       const transport::Carriers& carriers,
                                       const Eigen::Ref<const Eigen::ArrayXd>& mu,
                                       const Eigen::Ref<const Eigen::ArrayXd>& T_kelvin,
                                       const Execution& exec = {},
                                       const HermitianSolver& solver = default_hermitian_solver());

}  // namespace quasiion::lattice
