"""``quasiion potential``: tight-binding parameters from a migration-energy profile."""

from __future__ import annotations

import argparse

from ._common import dump_json, parse_range, save_figure, use_agg


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "potential",
        help="quasi-ion parameters (U_A, U_B, J0, Ea) from a migration-energy profile",
        description="Read a migration-energy profile (CSV: two columns with units in the header, "
        "e.g. 'x [Angstrom],U [eV]'; x in Angstrom or nm, U in eV or meV) or use the paper's "
        "eq 45, find its wells and barriers, and print the two-site tight-binding parameters "
        "at the given temperature(s). Units: eV, K, Angstrom.",
    )
    src = p.add_mutually_exclusive_group(required=True)
    src.add_argument("profile", nargs="?", help="profile CSV file")
    src.add_argument("--eq45", type=float, metavar="ALPHA",
                     help="use eq 45 with this alpha (U_bar = -0.3 eV, a = 4 A) instead of a file")
    p.add_argument("--T", default="300", metavar="T",
                   help="temperature(s) in K: a number, 'a,b,c' or 'start:stop:step' "
                   "(default: %(default)s)")
    p.add_argument("--method", choices=("narrow-well", "overlap"), default="narrow-well",
                   help="eq 16 full form (narrow-well) or the eq 15 overlap integral "
                   "(default: %(default)s)")
    per = p.add_mutually_exclusive_group()
    per.add_argument("--periodic", action="store_true",
                     help="the profile spans one period (last row repeats the first); default: "
                     "detected (end energies equal within the prominence)")
    per.add_argument("--open", action="store_true",
                     help="the profile is an open path, even when its end energies agree")
    p.add_argument("--energy-unit", metavar="UNIT", default=None,
                   help="unit of the energy column when the header has none: eV, meV, kJ/mol, "
                   "kcal/mol, Ha, Ry (typical NEB output)")
    p.add_argument("--x-unit", metavar="UNIT", default=None,
                   help="unit of the position column when the header has none: Angstrom, nm, "
                   "or 'image' for image indices (then give --length)")
    p.add_argument("--length", type=float, default=None, metavar="ANGSTROM",
                   help="path length of the NEB band when the first column holds image indices")
    p.add_argument("--interpolate", choices=("auto", "pchip", "spline"), default="auto",
                   help="between samples: a cubic spline that interpolates the saddle between "
                   "images (auto: for fewer than 50 samples) or the monotone PCHIP whose "
                   "extrema sit on samples (dense or noisy profiles) (default: %(default)s)")
    p.add_argument("--prominence", type=float, default=None, metavar="EV",
                   help="extremum threshold in eV (default: 1%% of the energy range)")
    p.add_argument("--thermalisation", type=float, default=0.0,
                   help="thermalisation coefficient: E_min = U_min + thermalisation*kT "
                   "(default: 0)")
    p.add_argument("--plot", metavar="PNG", help="write the profile with wells, barriers and "
                   "thermal densities (first T) to this file")
    p.add_argument("--json", action="store_true", help="print JSON instead of text")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from ..potential import Potential
    from ._common import check_output

    check_output(args.plot, "--plot")
    if args.eq45 is not None:
        pot = Potential.eq45(args.eq45)
        source = f"eq 45, alpha = {args.eq45}"
    else:
        pot, how = _read_profile(args)
        source = f"{args.profile} ({how})"
    T = parse_range(args.T)
    results = [pot.tight_binding(float(t), args.method, thermalisation=args.thermalisation)
               for t in T]
    wells = pot.wells()
    barriers = pot.barriers()
    if args.json:
        print(dump_json({
            "source": source,
            "method": args.method,
            "wells": [{"x": w.x, "U": w.U} for w in wells],
            "barriers": [{"x": b.x, "U": b.U, "at_end": b.at_end} for b in barriers],
            "parameters": [r.to_dict() for r in results],
        }))
    else:
        print(f"profile: {source} ({'periodic' if pot.periodic else 'open'}, "
              f"{len(pot.x)} samples, prominence {pot.prominence:.3g} eV)")
        print("wells:    " + ", ".join(f"x={w.x:.4g} A U={w.U:.4g} eV" for w in wells))
        print("barriers: " + ", ".join(f"x={b.x:.4g} A U={b.U:.4g} eV" for b in barriers))
        print(f"method: {args.method}; energies in eV, a in Angstrom")
        print(f"{'T [K]':>9} {'U_A':>10} {'U_B':>10} {'J0':>11} {'Ea_AB':>9} {'Ea_BA':>9} "
              f"{'gap':>9} {'a':>7}")
        for r in results:
            print(f"{r.T:9.2f} {r.U_A:10.5f} {r.U_B:10.5f} {r.J0:11.4e} {r.Ea_AB:9.5f} "
                  f"{r.Ea_BA:9.5f} {r.band_gap:9.5f} {r.a:7.4f}")
    if args.plot:
        use_agg()
        from ..plotting.potential import plot_profile

        fig = plot_profile(pot, float(T[0]), thermalisation=args.thermalisation)
        path = save_figure(fig, args.plot)
        if not args.json:
            print(f"wrote {path}")
    return 0


def _read_profile(args: argparse.Namespace) -> tuple:
    """The profile with periodicity and interpolation decided (and said how)."""
    from ..io import read_table
    from ..potential import Potential

    n = len(next(iter(read_table(args.profile).values())).values)
    interp = args.interpolate
    if interp == "auto":
        interp = "spline" if n < 50 else "pchip"
    kw = dict(prominence=args.prominence, interpolate=interp, x_unit=args.x_unit,
              U_unit=args.energy_unit, length=args.length)
    if args.periodic or args.open:
        pot = Potential.from_csv(args.profile, periodic=args.periodic, **kw)
        return pot, f"{'periodic' if args.periodic else 'open'} as asked, {interp}"
    open_pot = Potential.from_csv(args.profile, periodic=False, **kw)
    U = open_pot.U
    tol = open_pot.prominence
    if abs(U[-1] - U[0]) <= tol:
        try:
            pot = Potential.from_csv(args.profile, periodic=True, **kw)
            return pot, (f"periodic: detected, end energies agree within {tol:.3g} eV; "
                         f"--open to override; {interp}")
        except ValueError:
            pass
    return open_pot, f"open: end energies differ by {abs(U[-1] - U[0]):.3g} eV; {interp}"
