// LAPACK without linking it: the core holds function pointers to the Fortran-convention
// drivers it uses, filled in at run time by whoever has a LAPACK. The Python module takes
// them from scipy.linalg.cython_lapack.__pyx_capi__ (PyCapsules around scipy's own LAPACK)
// when quasiion is imported, so the wheel links no BLAS/LAPACK and uses the one scipy ships.
// A pure C++ build or an embedder may register its own LAPACK (LP64: 32-bit int) or none;
// without registration the dense solvers fall back to Eigen.
//
// Signatures are those of reference LAPACK with all arguments by pointer and no hidden
// string-length arguments (scipy's Cython wrappers add those themselves).
#pragma once

#include <complex>

namespace quasiion::lapack {

// zheevd: eigenvalues (and eigenvectors, divide and conquer) of a complex Hermitian matrix.
using zheevd_fn = void (*)(char* jobz, char* uplo, int* n, std::complex<double>* a, int* lda,
                           double* w, std::complex<double>* work, int* lwork, double* rwork,
                           int* lrwork, int* iwork, int* liwork, int* info);
// dsyevd: the same for a real symmetric matrix.
using dsyevd_fn = void (*)(char* jobz, char* uplo, int* n, double* a, int* lda, double* w,
                           double* work, int* lwork, int* iwork, int* liwork, int* info);

struct Functions {
  zheevd_fn zheevd = nullptr;
  dsyevd_fn dsyevd = nullptr;
  // Who provides them, for show_config (e.g. "scipy"); copied on registration.
  const char* provider = "";
};

// Registers (both pointers non-null) or clears (both null) the functions. Not to be called
// while a solve is running on another thread.
void set_functions(const Functions& f);
// True once both pointers are registered.
bool available();
// The registered functions (null pointers if none).
const Functions& functions();
// Name of the provider ("" if none).
const char* provider();

}  // namespace quasiion::lapack
