#!/usr/bin/python3
"""Parses a JUnit XML file with the standard library and prints what CI servers read.

Proves `faultline check --junit` output is well-formed XML (xml.etree raises on anything
else) and lets the C++ test compare its content: one JSON object with the totals and,
per testcase, classname, name, file, line and the kind and message of its outcome.

Usage: junit_summary.py FILE   (exit 1 with the parser's message if not well-formed)
"""
import json
import sys
import xml.etree.ElementTree as ElementTree


def main():
    try:
        root = ElementTree.parse(sys.argv[1]).getroot()
    except ElementTree.ParseError as error:
        print(f"not well-formed: {error}", file=sys.stderr)
        return 1
    cases = []
    for suite in root.iter("testsuite"):
        for case in suite.iter("testcase"):
            outcome, message = "pass", ""
            for kind in ("failure", "error", "skipped"):
                element = case.find(kind)
                if element is not None:
                    outcome, message = kind, element.get("message", "")
                    if kind == "failure":
                        message += "\n" + (element.text or "")
            cases.append({"suite": suite.get("name"), "classname": case.get("classname"),
                          "name": case.get("name"), "file": case.get("file"),
                          "line": case.get("line"), "outcome": outcome, "message": message})
    print(json.dumps({"root": root.tag, "tests": root.get("tests"), "failures": root.get("failures"),
                      "skipped": root.get("skipped"), "cases": cases}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
