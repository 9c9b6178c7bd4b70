"""Leave-one-study-out cross-validation of the fitted model, with the hand-shaped model of
commit 4e60240 side by side in the same run.

For each study in the fit, the model is refitted without that study's rows (their weight
set to 0, so the compiled model is the same) and predicts them as a *new* study, as
painlab shows it: the posterior mean for the class, and the 80% prediction interval
(:func:`painlab.hypoalgesia.dose_response.predictive_interval`). The old model (painlab at 4e60240, from a git worktree) predicts
the same rows with its own ``at`` and ``interval``; it was shaped by hand on these same
studies, so its numbers are in-sample, and the fitted model's in-sample numbers (the full
fit predicting its own rows) are printed beside them.

Reported per population and kind: strict agreement (the point's class equals the study's
reported verdict, d >= 0.2 / <= -0.2 / between), the verdict a study of that size would
most likely report (over the predictive draws; the old model: its own
``outcome_probabilities`` at its value), the share of rows whose verdict lies in
the 80% range, and, where an effect size exists, the share inside the range (coverage;
goal 75-85%) and the mean absolute error.

Needs the fit extra (``pip install -e .[fit]``). Usage::

    python benchmarks/cross_validation.py [--draws 300] [--tune 600] [--old 4e60240]

Writes ``benchmarks/results/cross_validation.json`` and prints a Markdown table.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
sys.path.insert(0, str(ROOT / "src"))

T = 0.2
CLASSES = ("hypoalgesia", "none", "hyperalgesia")


def _cls(d: float) -> int:
    return 0 if d >= T else 2 if d <= -T else 1


def _in_range(code: int, lo: float, hi: float) -> bool:
    if code == 0:
        return hi >= T
    if code == 2:
        return lo <= -T
    return lo < T and hi > -T


def new_model_rows(design, held: int, post: dict) -> list[dict]:
    """Predictions of the held-out study's rows from draws fitted without it."""
    from painlab.hypoalgesia import dose_response as dr

    p = {k: np.asarray(v)[:, None] for k, v in post.items()}
    rows = design.rows
    mu0, factor = dr.row_mean(p, np, rows)
    tau = np.sqrt(p["spread.study"] ** 2 + p["spread.arm"] ** 2)
    # the same point and range as painlab shows: posterior mean, 80% prediction interval
    point, lo, hi = dr.predictive_interval(mu0, factor, tau)
    # the verdict a study of this n would most likely report: its probability averaged
    # over draws, each draw's new-study effect integrated over u ~ N(0, tau) on 9 nodes
    nodes, weights = np.polynomial.hermite_e.hermegauss(9)
    weights = weights / weights.sum()
    probs = np.zeros((3, len(design)))
    for x, w in zip(nodes, weights, strict=True):
        theta = (mu0 + tau * x) * factor
        for c in range(3):
            probs[c] += w * np.exp(
                dr.verdict_logp(np, theta, rows["n"], np.full(len(design), c))
            ).mean(axis=0)
    out = []
    for j in np.flatnonzero(design.study == held):
        out.append(
            {
                "d": float(point[j]),
                "lo": float(lo[j]),
                "hi": float(hi[j]),
                "verdict": int(np.argmax(probs[:, j])),
            }
        )
    return out


OLD_SCRIPT = r"""
import json, sys
import painlab as pl
from painlab.hypoalgesia import predict
rows = json.load(sys.stdin)
out = []
for r in rows:
    try:
        m = r["muscle"] if r["kind"] == "isometric" else None
        if r["to_failure"] and r["kind"] == "isometric":
            b = pl.Bout("isometric", r["intensity"], to_failure=True, muscle=m)
        else:
            b = pl.Bout(r["kind"], r["intensity"], r["minutes"], muscle=m)
        res = predict(b, r["population"])
        sites = [r["site"]] if r["site"] != "unknown" else ["exercising", "contralateral", "distant"]
        d = sum(res.at(s, r["minutes_after"]) for s in sites) / len(sites)
        lo = min(res.interval(s, r["minutes_after"])[0] for s in sites)
        hi = max(res.interval(s, r["minutes_after"])[1] for s in sites)
        from painlab.hypoalgesia import outcome_probabilities
        pr = outcome_probabilities(d, r["n"])
        verdict = max(range(3), key=lambda c: pr[("hypoalgesia", "none", "hyperalgesia")[c]])
        out.append({"d": d, "lo": lo, "hi": hi, "verdict": verdict})
    except Exception as e:  # a dose the old model refuses
        out.append({"error": repr(e)})
print(json.dumps(out))
"""


def old_model_rows(design, commit: str) -> list[dict]:
    """The old model's predictions of every row, from a worktree of ``commit``."""
    from painlab import studies

    by_id = {}
    for a in studies.arms():
        by_id.setdefault(a.arm_id, a)
    rows = design.rows
    payload = []
    site_names = ("exercising", "contralateral", "distant", "unknown")
    for j in range(len(design)):
        arm = by_id[design.arms[design.arm[j]]]
        kind = next(
            k for k in ("aerobic", "isometric", "dynamic_resistance") if rows[f"kind.{k}"][j]
        )
        site = next(s for s in site_names if rows[f"site.{s}"][j])
        payload.append(
            {
                "kind": kind,
                "population": arm.population,
                "intensity": float(rows["intensity"][j]),
                "minutes": float(rows["minutes"][j]),
                "to_failure": bool(arm.to_failure),
                "muscle": arm.muscle or "pooled",
                "site": site,
                "minutes_after": float(rows["minutes_after"][j]),
                "n": int(rows["n"][j]),
            }
        )
    with tempfile.TemporaryDirectory() as tmp:
        wt = Path(tmp) / "old"
        subprocess.run(
            ["git", "-C", str(ROOT), "worktree", "add", "--detach", str(wt), commit],
            check=True,
            capture_output=True,
        )
        try:
            res = subprocess.run(
                [sys.executable, "-c", OLD_SCRIPT],
                input=json.dumps(payload),
                capture_output=True,
                text=True,
                check=True,
                env={"PYTHONPATH": str(wt / "src"), "PATH": "/usr/bin:/bin"},
            )
        finally:
            subprocess.run(
                ["git", "-C", str(ROOT), "worktree", "remove", "--force", str(wt)],
                check=False,
                capture_output=True,
            )
    return json.loads(res.stdout)


def score(design, preds: list[dict], groups: dict) -> dict:
    rows = design.rows
    out: dict = {}
    for name, idx in groups.items():
        ok = [j for j in idx if "error" not in preds[j]]
        if not ok:
            continue
        strict = [_cls(preds[j]["d"]) == rows["outcome"][j] for j in ok]
        verdict = [preds[j]["verdict"] == rows["outcome"][j] for j in ok]
        inr = [_in_range(int(rows["outcome"][j]), preds[j]["lo"], preds[j]["hi"]) for j in ok]
        es = [j for j in ok if rows["has_d"][j]]
        cover = [preds[j]["lo"] <= rows["d"][j] <= preds[j]["hi"] for j in es]
        mae = [abs(preds[j]["d"] - rows["d"][j]) for j in es]
        out[name] = {
            "rows": len(idx),
            "predicted": len(ok),
            "strict": float(np.mean(strict)),
            "verdict_for_its_n": float(np.mean(verdict)),
            "verdict_in_range": float(np.mean(inr)),
            "effect_sizes": len(es),
            "coverage": float(np.mean(cover)) if es else None,
            "mae": float(np.mean(mae)) if es else None,
        }
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description="leave-one-study-out cross-validation")
    ap.add_argument("--draws", type=int, default=300)
    ap.add_argument("--tune", type=int, default=600)
    ap.add_argument("--old", default="4e60240")
    args = ap.parse_args(argv)
    import fit_model

    from painlab.hypoalgesia import fitdata

    design = fitdata.design()
    preds: list[dict] = [{} for _ in range(len(design))]
    t0 = time.time()
    for s, key in enumerate(design.studies):
        weight = (design.study != s).astype(float)
        post, diag = fit_model.sample(design, weight, draws=args.draws, tune=args.tune, seed=s)
        for j, pr in zip(
            np.flatnonzero(design.study == s), new_model_rows(design, s, post), strict=True
        ):
            preds[j] = pr
        print(
            f"  {key}: {int((design.study == s).sum())} rows, r_hat {diag['r_hat_max']:.2f}",
            flush=True,
        )
    cv_seconds = time.time() - t0
    old = old_model_rows(design, args.old)
    rows = design.rows
    kinds = ("aerobic", "isometric", "dynamic_resistance")
    groups: dict[str, list[int]] = {"all placed": list(range(len(design)))}
    for j in range(len(design)):
        pop = next(k.split(".", 1)[1] for k in rows if k.startswith("population.") and rows[k][j])
        kind = next(k for k in kinds if rows[f"kind.{k}"][j])
        groups.setdefault(pop, []).append(j)
        groups.setdefault(f"{pop} / {kind}", []).append(j)
    # the fitted model on the very rows it was fitted to: the fair comparison for the old
    # model, which was shaped by hand on these same studies (in-sample too)
    post, _ = fit_model.sample(design, draws=args.draws, tune=args.tune, seed=len(design.studies))
    insample: list[dict] = [{} for _ in range(len(design))]
    for s_ in range(len(design.studies)):
        rows_s = np.flatnonzero(design.study == s_)
        for j, pr in zip(rows_s, new_model_rows(design, s_, post), strict=True):
            insample[j] = pr
    result = {
        "design": {
            "rows": len(design),
            "arms": len(design.arms),
            "studies": len(design.studies),
        },
        "fitted_leave_one_study_out": score(design, preds, groups),
        "fitted_in_sample": score(design, insample, groups),
        f"hand_shaped_{args.old}": score(design, old, groups),
        "seconds": cv_seconds,
        "settings": {"draws": args.draws, "tune": args.tune, "chains": 2},
    }
    out = ROOT / "benchmarks" / "results" / "cross_validation.json"
    out.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    new, hand = result["fitted_leave_one_study_out"], result[f"hand_shaped_{args.old}"]
    ins = result["fitted_in_sample"]["all placed"]
    print(
        f"fitted in sample (all placed rows): strict {ins['strict']:.0%}, verdict for its n "
        f"{ins['verdict_for_its_n']:.0%}, in range {ins['verdict_in_range']:.0%}, "
        f"ES coverage {ins['coverage']:.0%}, MAE {ins['mae']:.2f}"
    )
    print(
        "| rows | n | strict: fitted / old | verdict for its n: fitted / old | "
        "verdict in 80% range: fitted / old | ES coverage: fitted / old | ES MAE: fitted / old |"
    )
    print("|---|---|---|---|---|---|---|")

    def f(x, pct=True):
        return "–" if x is None else (f"{x:.0%}" if pct else f"{x:.2f}")

    for name in groups:
        a, b = new.get(name), hand.get(name, {})
        if a is None:
            continue
        print(
            f"| {name} | {a['rows']} | {f(a['strict'])} / {f(b.get('strict'))} | "
            f"{f(a['verdict_for_its_n'])} / {f(b.get('verdict_for_its_n'))} | "
            f"{f(a['verdict_in_range'])} / {f(b.get('verdict_in_range'))} | "
            f"{f(a['coverage'])} / {f(b.get('coverage'))} ({a['effect_sizes']}) | "
            f"{f(a['mae'], False)} / {f(b.get('mae'), False)} |"
        )
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
