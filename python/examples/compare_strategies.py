# %% [markdown]
# # Comparing mitigations of an SMS vendor outage with faultline
#
# The flagship scenario (`scenarios/flagship-vendor-outage.yaml`): the primary SMS vendor
# silently drops every reminder for 48 h from the evening of day 12. Four strategies:
# no mitigation, failover on an API health check, failover on the delivery-receipt rate,
# and receipt-rate failover that also re-sends the lost reminders. We compare their
# missed-payment rates with 95 % confidence intervals, then sweep the outage's duration.
#
# The same file runs as a script (`python3 compare_strategies.py`) and as this notebook
# (`compare_strategies.ipynb` is generated from it by `make_notebook.py`). Smaller runs:
# set FAULTLINE_EXAMPLE_BORROWERS and FAULTLINE_EXAMPLE_REPLICATIONS; the PNGs go to
# FAULTLINE_EXAMPLE_OUT (default: the current folder).

# %%
import os
from pathlib import Path

import matplotlib.pyplot as plt

import faultline

HERE = Path(globals().get("__file__", "compare_strategies.py")).resolve().parent
REPO = HERE.parents[1] if (HERE.parents[1] / "scenarios").is_dir() else Path.cwd()
BORROWERS = int(os.environ.get("FAULTLINE_EXAMPLE_BORROWERS", "200000"))
REPLICATIONS = int(os.environ.get("FAULTLINE_EXAMPLE_REPLICATIONS", "20"))
OUT = Path(os.environ.get("FAULTLINE_EXAMPLE_OUT", "."))
OUT.mkdir(parents=True, exist_ok=True)

# %% [markdown]
# ## The scenario
#
# Loading validates it with faultline's own parser; `with_` changes values the way the
# YAML file would (errors come back as `ScenarioError` with line and column).

# %%
flagship = faultline.load_scenario(REPO / "scenarios" / "flagship-vendor-outage.yaml")
if BORROWERS != flagship.borrowers:
    flagship = flagship.with_(population={"borrowers": BORROWERS})
print(flagship)
print("strategies:", ", ".join(flagship.strategies))

# %% [markdown]
# ## Run it
#
# The same numbers as `faultline run` at the same seed. `results.summary` is one tidy
# frame — point, strategy, metric, mean, ci_low, ci_high, half_width, n — and
# `results.differences` the paired difference of each strategy to the reference
# (`baseline`), which common random numbers make much narrower than the intervals.

# %%
results = faultline.run(flagship, replications=REPLICATIONS)
results

# %%
missed = results.summary.query("metric == 'missed_payment_rate'").set_index("strategy")
print(missed[["mean", "ci_low", "ci_high", "half_width", "n"]])
delta = results.differences.query("metric == 'missed_payment_rate'").set_index("strategy")
print(delta[["mean", "ci_low", "ci_high"]])

# %% [markdown]
# ## Missed payments per strategy, with the 95 % confidence interval

# %%
fig, ax = plt.subplots(figsize=(7, 3.5))
y = range(len(missed))
ax.errorbar(missed["mean"] * 100, y,
            xerr=[(missed["mean"] - missed["ci_low"]) * 100, (missed["ci_high"] - missed["mean"]) * 100],
            fmt="o", capsize=4)
ax.set_yticks(list(y), missed.index)
ax.invert_yaxis()
ax.set_xlabel("missed_payment_rate (%)")
ax.set_title(f"{results.name}: {results.replications} replications, 95% CI")
ax.grid(axis="x", alpha=0.3)
fig.tight_layout()
fig.savefig(OUT / "missed_payment_rate_by_strategy.png", dpi=120)

# %% [markdown]
# ## How the outage's length matters: a sweep
#
# `faultline.sweep` runs the experiment at each value of a path (here the fault's
# duration), with the same replications' random numbers at every point, so the curve
# shows the duration's effect rather than noise. The swept column holds seconds. The
# curve needs no `expect:` checks, and two strategies are enough.

# %%
curve = faultline.sweep(
    flagship.with_(expect=None),
    {"faults.0.duration": ["1h", "6h", "12h", "24h", "36h", "48h"]},
    replications=max(2, REPLICATIONS // 4),
    strategies=["baseline", "failover"],
)
points = curve.summary.query("metric == 'missed_payment_rate'")
points = points.assign(hours=points["faults[0].duration"] / 3600)
print(points[["hours", "strategy", "mean", "ci_low", "ci_high"]])

# %%
fig, ax = plt.subplots(figsize=(7, 3.5))
for strategy, rows in points.groupby("strategy", sort=False):
    ax.plot(rows["hours"], rows["mean"] * 100, marker="o", label=strategy)
    ax.fill_between(rows["hours"], rows["ci_low"] * 100, rows["ci_high"] * 100, alpha=0.2)
ax.set_xlabel("outage duration (h)")
ax.set_ylabel("missed_payment_rate (%)")
ax.set_title("missed payments vs outage duration, 95% CI")
ax.legend()
ax.grid(alpha=0.3)
fig.tight_layout()
fig.savefig(OUT / "missed_payment_rate_vs_duration.png", dpi=120)

# %% [markdown]
# The report `faultline run --report` writes is one call away, as are the CLI's files:
# `results.report("report.html")`, `results.save("out/flagship")`.

# %%
print("wrote", sorted(p.name for p in OUT.glob("*.png")))
