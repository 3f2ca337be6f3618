#!/usr/bin/python3
"""The man page and the shell completions against --help (issue 20).

Every command of `faultline --help` and every flag of every `faultline CMD --help` is in the
man page and in the bash, zsh and fish completions; the scripts pass `bash -n`, `zsh -n`
and `fish -n` (for each shell installed: scripts/setup.sh --test installs all three), and
bash and fish, asked as a user's Tab would ask them, complete commands, flags, flag values
and scenario files.
"""
import argparse
import pathlib
import re
import shutil
import subprocess
import sys

sys.path.insert(0, str(pathlib.Path(__file__).parent))
from harness import check, finish  # noqa: E402



def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--faultline", required=True)
    ap.add_argument("--work", required=True)
    a = ap.parse_args()
    binary = str(pathlib.Path(a.faultline).resolve())
    work = pathlib.Path(a.work)
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)

    def fl(*args):
        return subprocess.run([binary, *args], capture_output=True, text=True)

    man = fl("man").stdout
    scripts = {sh: fl("completion", sh).stdout for sh in ("bash", "zsh", "fish")}
    check(man.startswith(".\\\"") and ".TH FAULTLINE 1" in man, "faultline man prints roff")
    for sh, text in scripts.items():
        check(len(text) > 1000, f"faultline completion {sh} prints a script ({len(text)} bytes)")

    usage = fl("--help").stdout
    commands = re.findall(r"^  ([a-z]+) ", usage.split("commands:")[1].split("\n\n")[0], re.M)
    check(len(commands) >= 15, f"{len(commands)} commands in faultline --help")
    for c in commands:
        check(f'.SS "faultline {c}' in man, f"man page has the command {c}")
        check(re.search(rf"^    {c}\)$", scripts["bash"], re.M) is not None, f"bash: {c}")
        check(f"'{c}:" in scripts["zsh"], f"zsh: {c}")
        check(f"__fish_use_subcommand -a {c} " in scripts["fish"], f"fish: {c}")

    total = 0
    for c in commands:
        r = fl(c, "--help")
        check(r.returncode == 0, f"faultline {c} --help exits 0")
        flags = re.findall(r"^  (?:-(\w) \[ )?--([\w-]+)", r.stdout, re.M)
        check(bool(flags), f"faultline {c} --help shows its flags ({len(flags)})")
        section = man.split(f'.SS "faultline {c}')[1].split(".SS ")[0]
        bash = scripts["bash"].split(f"\n    {c})\n")[1].split("      ;;\n")[0]
        zsh = scripts["zsh"].split(f"\n    {c})\n")[1].split("      ;;\n")[0]
        fish = "\n".join(line for line in scripts["fish"].splitlines()
                         if f"__fish_seen_subcommand_from {c}'" in line)
        for short, long in flags:
            total += 1
            roff_long = long.replace("-", "\\-")
            missing = [where for where, ok in [
                ("man", f"\\fB\\-\\-{roff_long}\\fR" in section),
                ("bash", f"--{long}" in bash),
                ("zsh", f"--{long}" in zsh),
                ("fish", f" -l {long} " in fish)] if not ok]
            if short:
                missing += [where for where, ok in [
                    ("man", f"\\fB\\-{short}\\fR" in section),
                    ("bash", f"-{short}" in bash),
                    ("zsh", "{-" + short + ",--" + long + "}" in zsh),
                    ("fish", f" -s {short} -l {long} " in fish)] if not ok]
            check(not missing, f"{c} --{long}" + (f" -{short}" if short else "") +
                  (f": missing in {missing}" if missing else ": in man, bash, zsh, fish"))
    check(total > 60, f"{total} flags checked")

    # Syntax, in the shells themselves.
    for sh, ext in (("bash", "bash"), ("zsh", "zsh"), ("fish", "fish")):
        path = work / f"faultline.{ext}"
        path.write_text(scripts[sh])
        if shutil.which(sh):
            r = subprocess.run([sh, "-n", str(path)], capture_output=True, text=True)
            check(r.returncode == 0, f"{sh} -n accepts the script {r.stderr.strip()}")
        else:
            print(f"skip {sh} is not installed (scripts/setup.sh --test installs it)")

    # What a Tab press completes, in bash: COMP_WORDS as readline would set them.
    (work / "files").mkdir()
    for name in ("outage.yaml", "other.yml", "notes.txt"):
        (work / "files" / name).write_text("")

    def bash_complete(*words):
        script = (f"source {work / 'faultline.bash'}; COMP_WORDS=({' '.join(repr(w) for w in words)});"
                  f" COMP_CWORD={len(words) - 1}; _faultline; printf '%s\\n' \"${{COMPREPLY[@]}}\"")
        r = subprocess.run(["bash", "-c", script], capture_output=True, text=True,
                           cwd=work / "files")
        return set(r.stdout.split())

    check({"run", "check", "init", "completion"} <= bash_complete("faultline", ""),
          "bash: faultline <Tab> offers the commands")
    check(bash_complete("faultline", "run", "--en") == {"--engine"},
          "bash: faultline run --en<Tab> → --engine")
    check(bash_complete("faultline", "run", "--engine", "") == {"native", "simgrid"},
          "bash: faultline run --engine <Tab> → native simgrid")
    check(bash_complete("faultline", "run", "") == {"outage.yaml", "other.yml"},
          "bash: faultline run <Tab> → the scenario files only")
    check("vendor-outage" in bash_complete("faultline", "init", "--template", ""),
          "bash: faultline init --template <Tab> → the templates")
    check(bash_complete("faultline", "list", "") == {"faults", "mitigations", "metrics"},
          "bash: faultline list <Tab> → faults mitigations metrics")
    check("missed_payment_rate=" in bash_complete("faultline", "run", "--until-ci-halfwidth", "m"),
          "bash: --until-ci-halfwidth <Tab> → metric names")

    if shutil.which("fish"):
        def fish_complete(line):
            r = subprocess.run(["fish", "--no-config", "-c",
                                f"source {work / 'faultline.fish'}; complete -C '{line}'"],
                               capture_output=True, text=True, cwd=work / "files")
            return {row.split("\t")[0] for row in r.stdout.splitlines()}
        check("--engine" in fish_complete("faultline run --eng"),
              "fish: faultline run --eng<Tab> → --engine")
        check({"native", "simgrid"} <= fish_complete("faultline run --engine "),
              "fish: faultline run --engine <Tab> → native simgrid")
        check({"run", "explain"} <= fish_complete("faultline "), "fish: the commands")
        got = fish_complete("faultline validate ")
        check({"outage.yaml", "other.yml"} <= got and "notes.txt" not in got,
              f"fish: faultline validate <Tab> → the scenario files {sorted(got)}")



if __name__ == "__main__":
    main()
    finish()
