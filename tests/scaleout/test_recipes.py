#!/usr/bin/python3
"""The scale-out recipes in examples/scale-out, run as far as a machine without a cluster can.

Each recipe is read (YAML parsed, #SBATCH lines read) and checked for the parts a user relies
on, then run exactly as written, with only the cluster replaced:
- Slurm: `sbatch` is a stand-in that runs an array job's tasks one after the other with the
  SLURM_ARRAY_* variables Slurm sets (from the script's #SBATCH --array or the command
  line), and --wait's exit code; submit.sh drives it, with one wave and with sequential
  precision over several waves. mpi.sbatch runs with `srun` standing in for mpirun.
- Kubernetes: each index of the Indexed Job runs the container's command the way the kubelet
  would — its env, JOB_COMPLETION_INDEX, $(VAR) expansion, the volume's mountPath mapped to
  a folder — then the merge Job's command.
- GitHub Actions: each matrix job's run step in its own checkout, the artifacts copied the
  way upload/download-artifact lay them out, then the merge job's step.
Every recipe must end with the bytes of a single `faultline run` of the same scenario.

Usage: test_recipes.py --faultline BIN --source DIR --work DIR [--mpiexec MPIRUN]
"""
import argparse
import filecmp
import os
import re
import shutil
import subprocess
import sys

import yaml  # Debian python3-yaml

SCENARIO = "scenarios/small.yaml"  # tests/data/small.yaml: 4 replications, quick

SBATCH_STUB = r'''#!/usr/bin/python3
# A stand-in for Slurm's sbatch: runs the script here — an array job's tasks one after
# the other, with the variables Slurm sets — and, like `sbatch --wait`, exits with the
# highest exit code of its tasks. Logs the calls to $SBATCH_LOG.
import os, re, subprocess, sys
args, script, opts = sys.argv[1:], None, {}
for a in args:
    if a.startswith("--"):
        k, _, v = a[2:].partition("=")
        opts[k] = v
    elif script is None:
        script = a
text = open(script).read()
for line in text.splitlines():
    m = re.match(r"#SBATCH --([\w-]+)(?:=(\S+))?", line)
    if m and m.group(1) not in opts:
        opts[m.group(1)] = m.group(2) or ""
with open(os.environ["SBATCH_LOG"], "a") as log:
    log.write(" ".join(args) + "\n")
env = dict(os.environ, SLURM_JOB_ID="1000")
if "cpus-per-task" in opts:
    env["SLURM_CPUS_PER_TASK"] = opts["cpus-per-task"]
tasks = [None]
if "array" in opts:
    m = re.fullmatch(r"(\d+)-(\d+)(?::(\d+))?", opts["array"])
    first, last, step = int(m.group(1)), int(m.group(2)), int(m.group(3) or 1)
    tasks = list(range(first, last + 1, step))
    env.update(SLURM_ARRAY_JOB_ID="1000", SLURM_ARRAY_TASK_COUNT=str(len(tasks)),
               SLURM_ARRAY_TASK_MIN=str(first), SLURM_ARRAY_TASK_MAX=str(last),
               SLURM_ARRAY_TASK_STEP=str(step))
worst = 0
for t in tasks:
    if t is not None:
        env["SLURM_ARRAY_TASK_ID"] = str(t)
    worst = max(worst, subprocess.run(["bash", script], env=env).returncode)
print("Submitted batch job 1000")
sys.exit(worst if "wait" in opts else 0)
'''

SRUN_STUB = r'''#!/bin/bash
# A stand-in for srun: two ranks through Open MPI's mpirun on this machine.
while [[ "$1" == --* ]]; do shift; done
exec "$MPIEXEC" -np 2 --oversubscribe "$@"
'''


def fail(message):
    print("FAIL: " + message)
    sys.exit(1)


def run(cmd, cwd, env=None, expect=0):
    r = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=900)
    if expect is not None and r.returncode != expect:
        fail(f"{cmd if isinstance(cmd, str) else ' '.join(cmd)} (in {cwd}) exited "
             f"{r.returncode}, expected {expect}:\n{r.stdout}\n{r.stderr}")
    return r


def checkout(work, source, faultline, name):
    """A scratch folder like a clone: the scenario and the binary where recipes expect it."""
    root = os.path.join(work, name)
    shutil.rmtree(root, ignore_errors=True)
    os.makedirs(os.path.join(root, "scenarios"))
    os.makedirs(os.path.join(root, "build/release/sim"))
    shutil.copy(os.path.join(source, "tests/data/small.yaml"), os.path.join(root, SCENARIO))
    os.symlink(os.path.abspath(faultline), os.path.join(root, "build/release/sim/faultline"))
    return root


def install_stub(root, name, text):
    """A stand-in command in ROOT/bin; returns the folder, for PATH."""
    bin_dir = os.path.join(root, "bin")
    os.makedirs(bin_dir, exist_ok=True)
    with open(os.path.join(bin_dir, name), "w") as f:
        f.write(text)
    os.chmod(os.path.join(bin_dir, name), 0o755)
    return bin_dir


def same_outputs(expected, got, label):
    for f in ["results.json", "runs.jsonl", "results.csv"]:
        a, b = os.path.join(expected, f), os.path.join(got, f)
        if not os.path.isfile(b):
            fail(f"{label}: no {b}")
        if not filecmp.cmp(a, b, shallow=False):
            fail(f"{label}: {f} differs from a single run's")


def single_run(root, faultline, extra=""):
    out = os.path.join(root, "single")
    run([faultline, "run", SCENARIO, *extra.split(), "--out", out], root)
    return out


def slurm(a, env_base):
    src = os.path.join(a.source, "examples/scale-out/slurm")
    shard = open(os.path.join(src, "shard.sbatch")).read()
    if not re.search(r"^#SBATCH --array=0-\d+$", shard, re.M):
        fail("shard.sbatch must declare its array (#SBATCH --array=0-N)")
    if "--shard auto" not in shard:
        fail("shard.sbatch must run `faultline run ... --shard auto`")
    for name in ["shard.sbatch", "merge.sbatch", "submit.sh", "mpi.sbatch"]:
        run(["bash", "-n", os.path.join(src, name)], src)

    for label, study, waves in [("one wave", "", 1),
                                ("waves", "--replications 2 --until-ci-halfwidth "
                                          "missed_payment_rate=0.05% --max-replications 8", 2)]:
        root = checkout(a.work, a.source, a.faultline, "slurm-" + label.replace(" ", "-"))
        bin_dir = install_stub(root, "sbatch", SBATCH_STUB)
        env = dict(env_base, PATH=bin_dir + ":" + env_base["PATH"], FAULTLINE=a.faultline,
                   SCENARIO=SCENARIO, SHARD_COUNT="3", STUDY_ARGS=study,
                   SBATCH_LOG=os.path.join(root, "sbatch.log"))
        r = run(["bash", os.path.join(src, "submit.sh")], root, env)
        if "results: out/results/results.json" not in r.stdout:
            fail(f"slurm {label}: submit.sh did not report the results:\n{r.stdout}{r.stderr}")
        log = open(env["SBATCH_LOG"]).read().splitlines()
        arrays = [l for l in log if "--array=0-2" in l]
        if len(arrays) < waves or not all("--wait" in l for l in log):
            fail(f"slurm {label}: expected {waves}+ array jobs of 3 tasks, waited for:\n" +
                 "\n".join(log))
        if waves > 1 and not os.path.isdir(os.path.join(root, "out/shards/wave2")):
            fail(f"slurm {label}: no second wave ran")
        same_outputs(single_run(root, a.faultline, study), os.path.join(root, "out/results"),
                     "slurm " + label)

    if a.mpiexec:
        root = checkout(a.work, a.source, a.faultline, "slurm-mpi")
        bin_dir = install_stub(root, "srun", SRUN_STUB)
        env = dict(env_base, PATH=bin_dir + ":" + env_base["PATH"], FAULTLINE=a.faultline,
                   SCENARIO=SCENARIO, MPIEXEC=a.mpiexec, SLURM_CPUS_PER_TASK="1",
                   OMPI_ALLOW_RUN_AS_ROOT="1", OMPI_ALLOW_RUN_AS_ROOT_CONFIRM="1",
                   # the asan preset: Open MPI's allocations that live until exit (its
                   # components stay loaded and stacks are unwound in full, so the
                   # suppressions can name the libraries; see mpi-lsan.supp)
                   OMPI_MCA_mca_base_component_disable_dlclose="1",
                   PMIX_MCA_mca_base_component_disable_dlclose="1",
                   LSAN_OPTIONS="suppressions=" + os.path.join(a.source, "tests/scaleout/mpi-lsan.supp")
                   + ":fast_unwind_on_malloc=0")
        run(["bash", os.path.join(src, "mpi.sbatch")], root, env)
        same_outputs(single_run(root, a.faultline), os.path.join(root, "out/results"),
                     "slurm mpi.sbatch")
    print("slurm: ok")


def expand(text, env):
    """Kubernetes' $(VAR) expansion in command and args."""
    return re.sub(r"\$\(([A-Za-z_][A-Za-z0-9_]*)\)", lambda m: env.get(m.group(1), m.group(0)),
                  text)


def kubelet(container, volumes, root, faultline, extra_env, env_base):
    """Runs a container's command as the kubelet would, with the volumes mapped to folders."""
    env = {e["name"]: str(e["value"]) for e in container.get("env", [])}
    env.update(extra_env)
    mounts = {m["mountPath"]: volumes[m["name"]] for m in container.get("volumeMounts", [])}
    cmd = []
    for word in container["command"] + container.get("args", []):
        word = expand(word, env)
        for path, folder in mounts.items():
            if word == path or word.startswith(path + "/"):
                word = folder + word[len(path):]
        cmd.append(word)
    if cmd[0] != "faultline":
        fail(f"kubernetes: the container runs {cmd[0]}, expected faultline")
    cmd[0] = os.path.abspath(faultline)
    return run(cmd, root, dict(env_base, **env), expect=None)


def kubernetes(a, env_base):
    src = os.path.join(a.source, "examples/scale-out/kubernetes")
    docs = list(yaml.safe_load_all(open(os.path.join(src, "study.yaml"))))
    merge_docs = list(yaml.safe_load_all(open(os.path.join(src, "merge-job.yaml"))))
    run(["bash", "-n", os.path.join(src, "run.sh")], src)
    pvc = next((d for d in docs if d["kind"] == "PersistentVolumeClaim"), None)
    job = next((d for d in docs if d["kind"] == "Job"), None)
    merge = next((d for d in merge_docs if d["kind"] == "Job"), None)
    if not (pvc and job and merge):
        fail("kubernetes: study.yaml needs a PersistentVolumeClaim and a Job, merge-job.yaml a Job")
    if "ReadWriteMany" not in pvc["spec"]["accessModes"]:
        fail("kubernetes: the shards' volume must be ReadWriteMany (pods on several nodes)")
    spec = job["spec"]
    if spec.get("completionMode") != "Indexed":
        fail("kubernetes: the shards Job must be an Indexed Job")
    pod = spec["template"]["spec"]
    if pod.get("restartPolicy") != "Never":
        fail("kubernetes: the shard pods must not restart in place (restartPolicy: Never)")
    (container,) = pod["containers"]
    env = {e["name"]: str(e["value"]) for e in container["env"]}
    if env.get("JOB_COMPLETIONS") != str(spec["completions"]):
        fail("kubernetes: JOB_COMPLETIONS must equal spec.completions")
    if spec["parallelism"] > spec["completions"] or "--shard" not in container["command"]:
        fail("kubernetes: parallelism above completions, or no --shard")
    for j in (job, merge):
        claims = [v["persistentVolumeClaim"]["claimName"] for v in j["spec"]["template"]["spec"]["volumes"]]
        if claims != [pvc["metadata"]["name"]]:
            fail(f"kubernetes: {j['metadata']['name']} must mount {pvc['metadata']['name']}")
    run_sh = open(os.path.join(src, "run.sh")).read()
    for name in (job["metadata"]["name"], merge["metadata"]["name"]):
        if f"job/{name}" not in run_sh:
            fail(f"kubernetes: run.sh does not wait for job/{name}")

    root = checkout(a.work, a.source, a.faultline, "kubernetes")
    volumes = {"data": os.path.join(root, "volume")}
    os.makedirs(volumes["data"])
    for index in range(spec["completions"]):
        r = kubelet(container, volumes, root, a.faultline,
                    {"SCENARIO": SCENARIO, "JOB_COMPLETION_INDEX": str(index)}, env_base)
        if r.returncode != 0:
            fail(f"kubernetes: index {index} failed:\n{r.stderr}")
    (merger,) = merge["spec"]["template"]["spec"]["containers"]
    r = kubelet(merger, volumes, root, a.faultline, {}, env_base)
    if r.returncode != 0:
        fail(f"kubernetes: the merge failed:\n{r.stderr}")
    if not os.path.isfile(os.path.join(volumes["data"], "results/report.html")):
        fail("kubernetes: the merge wrote no report")
    same_outputs(single_run(root, a.faultline), os.path.join(volumes["data"], "results"),
                 "kubernetes")
    print("kubernetes: ok")


def github(a, env_base):
    path = os.path.join(a.source, "examples/scale-out/github-actions/resilience-study.yml")
    wf = yaml.safe_load(open(path))
    shard_job, merge_job = wf["jobs"]["shard"], wf["jobs"]["merge"]
    matrix = shard_job["strategy"]["matrix"]["shard"]
    if matrix != list(range(1, len(matrix) + 1)):
        fail("github: the matrix must number the shards 1..N")
    if merge_job.get("needs") != "shard":
        fail("github: the merge job must need the shard jobs")
    step = next(s for s in shard_job["steps"] if "--shard auto" in s.get("run", ""))
    if step["env"] != {"CI_NODE_INDEX": "${{ matrix.shard }}",
                       "CI_NODE_TOTAL": "${{ strategy.job-total }}"}:
        fail("github: the shard step must set CI_NODE_INDEX and CI_NODE_TOTAL from the matrix")
    upload = next(s for s in shard_job["steps"] if s.get("uses", "").startswith("actions/upload-artifact"))
    download = next(s for s in merge_job["steps"] if s.get("uses", "").startswith("actions/download-artifact"))
    if upload["with"]["name"] != "shard-${{ matrix.shard }}" or download["with"]["pattern"] != "shard-*":
        fail("github: the download pattern must match the uploaded shard artifacts")
    merge_step = next(s for s in merge_job["steps"] if "faultline merge" in s.get("run", ""))

    # Each matrix job on its own runner (checkout), its artifact kept apart.
    artifacts = os.path.join(a.work, "github-artifacts")
    shutil.rmtree(artifacts, ignore_errors=True)
    env = dict(env_base, **wf.get("env", {}))
    env["SCENARIO"] = SCENARIO
    for shard in matrix:
        root = checkout(a.work, a.source, a.faultline, f"github-shard-{shard}")
        run(["bash", "-c", step["run"]], root,
            dict(env, CI_NODE_INDEX=str(shard), CI_NODE_TOTAL=str(len(matrix))))
        shutil.copytree(os.path.join(root, upload["with"]["path"]),
                        os.path.join(artifacts, f"shard-{shard}"))
    # download-artifact with a pattern and no merge-multiple: path/<artifact name>/...
    root = checkout(a.work, a.source, a.faultline, "github-merge")
    shutil.copytree(artifacts, os.path.join(root, download["with"]["path"]))
    run(["bash", "-c", merge_step["run"]], root, env)
    same_outputs(single_run(root, a.faultline), os.path.join(root, "out"), "github")
    print("github actions: ok")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--faultline", required=True)
    ap.add_argument("--source", required=True)
    ap.add_argument("--work", required=True)
    ap.add_argument("--mpiexec", default="")
    a = ap.parse_args()
    a.faultline = os.path.abspath(a.faultline)
    a.source = os.path.abspath(a.source)
    a.work = os.path.abspath(a.work)
    os.makedirs(a.work, exist_ok=True)
    env_base = {k: v for k, v in os.environ.items()
                if not k.startswith(("SLURM_", "JOB_COMPLETION", "CI_NODE", "OMPI_", "PMIX_"))}
    env_base["CI"] = "1"  # progress as lines
    slurm(a, env_base)
    kubernetes(a, env_base)
    github(a, env_base)


if __name__ == "__main__":
    main()
