"""Fit painlab's dose-response meta-regression to the evidence (``make fit``).

Reads ``src/painlab/data/acute_arms.csv`` (through :mod:`painlab.hypoalgesia.fitdata`),
fits the model of :mod:`painlab.hypoalgesia.dose_response` with PyMC (NUTS), and writes
``src/painlab/data/model_fit/``: ``draws.csv`` (posterior draws of every parameter),
``summary.csv`` (prior,
posterior median and central 80% per parameter) and ``fit.json`` (settings, diagnostics,
the data checksum, library versions). ``import painlab`` reads the draws; it never needs
PyMC. PyMC is used, not a hand-written sampler, because the likelihood mixes effect sizes
with verdict probabilities and the random effects need a well-tested NUTS sampler with
convergence diagnostics (R-hat, effective sample size, divergences).

Usage: ``python scripts/fit_model.py [--draws 500] [--tune 1000] [--chains 2] [--seed 20261208]``
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "src" / "painlab" / "data" / "model_fit"


def _prior(pm, spec):
    if spec.dist == "normal":
        return pm.Normal(spec.name, mu=spec.a, sigma=spec.b)
    if spec.dist == "lognormal":
        return pm.LogNormal(spec.name, mu=np.log(spec.a), sigma=spec.b)
    if spec.dist == "beta":
        return pm.Beta(spec.name, alpha=spec.a, beta=spec.b)
    if spec.dist == "halfnormal":
        return pm.HalfNormal(spec.name, sigma=spec.a)
    raise ValueError(f"unknown prior {spec.dist!r}")


def build(design, weight=None):
    """The PyMC model of the design; ``weight`` (0/1 per row) leaves rows out (for
    cross-validation) without changing the model's shape."""
    import pymc as pm
    import pytensor.tensor as pt

    from painlab.hypoalgesia import dose_response as dr

    rows = design.rows
    w = np.ones(len(design)) if weight is None else np.asarray(weight, dtype=float)
    with pm.Model() as model:
        w = pm.Data("weight", w)  # data, not a constant: one compiled graph for every fold
        p = {spec.name: _prior(pm, spec) for spec in dr.PRIORS}
        z_study = pm.Normal("z_study", 0.0, 1.0, shape=len(design.studies))
        z_arm = pm.Normal("z_arm", 0.0, 1.0, shape=len(design.arms))
        mu0, factor = dr.row_mean(p, pt, rows)
        u = p["spread.study"] * z_study[design.study] + p["spread.arm"] * z_arm[design.arm]
        theta = (mu0 + u) * factor
        n = rows["n"]
        has_d = rows["has_d"]
        ordinal = dr.verdict_logp(pt, theta, n, rows["outcome"])
        se = np.sqrt(1.0 / n + rows["d"] ** 2 / (2.0 * n))
        normal = -0.5 * ((rows["d"] - theta) / se) ** 2 - np.log(se)
        pm.Potential("likelihood", pt.sum(w * (has_d * normal + (1 - has_d) * ordinal)))
    return model


def sample(design, weight=None, *, draws=500, tune=1000, chains=2, seed=20261208):
    """Posterior draws ``name -> (chains*draws,)`` and the sampler's diagnostics."""
    import arviz as az
    import pymc as pm

    from painlab.hypoalgesia import dose_response as dr

    model = build(design, weight)
    with model:
        idata = pm.sample(
            draws=draws,
            tune=tune,
            chains=chains,
            cores=min(chains, 2),
            target_accept=0.95,
            random_seed=seed,
            progressbar=False,
            compute_convergence_checks=False,
        )
    post = idata.posterior
    names = [spec.name for spec in dr.PRIORS]
    out = {n: post[n].values.reshape(-1) for n in names}
    summ = az.summary(idata, var_names=names)
    diag = {
        "r_hat_max": float(summ["r_hat"].max()),
        "ess_bulk_min": float(summ["ess_bulk"].min()),
        "divergences": int(idata.sample_stats["diverging"].values.sum()),
    }
    return out, diag


def write(post: dict, diag: dict, design, args) -> None:
    import pymc as pm

    from painlab.hypoalgesia import dose_response as dr

    OUT.mkdir(parents=True, exist_ok=True)
    names = [spec.name for spec in dr.PRIORS]
    n_draws = len(post[names[0]])
    with open(OUT / "draws.csv", "w", encoding="utf-8", newline="") as f:
        wr = csv.writer(f, lineterminator="\n")
        wr.writerow(names)
        for k in range(n_draws):
            wr.writerow([f"{post[n][k]:.6g}" for n in names])
    with open(OUT / "summary.csv", "w", encoding="utf-8", newline="") as f:
        wr = csv.writer(f, lineterminator="\n")
        wr.writerow(
            ["name", "unit", "prior", "median", "low80", "high80", "label", "basis", "references"]
        )
        for spec in dr.PRIORS:
            lo, med, hi = np.quantile(post[spec.name], [0.1, 0.5, 0.9])
            wr.writerow(
                [
                    spec.name,
                    spec.unit,
                    spec.describe(),
                    f"{med:.4g}",
                    f"{lo:.4g}",
                    f"{hi:.4g}",
                    spec.label,
                    spec.basis,
                    " ".join(spec.references),
                ]
            )
    info = {
        "fitted": dt.date.today().isoformat(),
        "data_sha256": dr.data_checksum(),
        "inputs": list(dr.FIT_INPUTS),
        "rows": len(design),
        "studies": len(design.studies),
        "arms": len(design.arms),
        "rows_with_effect_size": int(design.rows["has_d"].sum()),
        "left_out": [list(x) for x in design.left_out],
        "sampler": {
            "library": f"PyMC {pm.__version__}",
            "method": "NUTS",
            "chains": args.chains,
            "draws": args.draws,
            "tune": args.tune,
            "target_accept": 0.95,
            "seed": args.seed,
        },
        "diagnostics": diag,
    }
    (OUT / "fit.json").write_text(json.dumps(info, indent=1) + "\n", encoding="utf-8")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--draws", type=int, default=500)
    ap.add_argument("--tune", type=int, default=1000)
    ap.add_argument("--chains", type=int, default=2)
    ap.add_argument("--seed", type=int, default=20261208)
    args = ap.parse_args(argv)
    sys.path.insert(0, str(ROOT / "src"))
    from painlab.hypoalgesia import fitdata

    design = fitdata.design()
    print(f"fitting {len(design)} rows, {len(design.arms)} arms, {len(design.studies)} studies")
    post, diag = sample(
        design, draws=args.draws, tune=args.tune, chains=args.chains, seed=args.seed
    )
    write(post, diag, design, args)
    print(json.dumps(diag))
    print(f"wrote {OUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
