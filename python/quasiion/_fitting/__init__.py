"""Implementation of :mod:`quasiion.fitting` (models, fit and table, data input). The public
names are re-exported by :mod:`quasiion.fitting`; import them from there."""
