#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""mkman.py - the man pages that are made from the documentation and the
headers, so that they say what the docs and the API say (make man).

    mkman.py doc DOC.md NAME SECTION "SUMMARY" > page   a man page from a doc
    mkman.py api HEADER GROUP SECTION... > page          the functions of the
                                                          header's sections

A doc's headings become sections, its paragraphs paragraphs, its code
blocks and tables preformatted text.  An API page lists each declaration
of the named header sections ("---- Records ----") with the comment
before it, as the header has them.
"""
import re
import sys


def esc(text):
    """roff-safe text: backslashes doubled, a leading dot or quote guarded."""
    text = text.replace("\\", "\\e")
    text = re.sub(r"^([.'])", r"\\&\1", text, flags=re.M)
    return text


def inline(text):
    text = esc(text)
    text = re.sub(r"\*\*([^*]+)\*\*", r"\\fB\1\\fR", text)
    text = re.sub(r"`([^`]+)`", r"\\fB\1\\fR", text)
    text = re.sub(r"\[([^\]]+)\]\(([^)]+)\)", r"\1 (\2)", text)
    return text


def doc(path, name, section, summary):
    lines = open(path, encoding="utf-8").read().split("\n")
    out = ['.TH %s %s "" "libquotacase" "libquotacase"' % (name.upper(), section),
           ".SH NAME", "%s \\- %s" % (name, esc(summary))]
    para = []
    in_code = False

    def flush():
        if para:
            out.append(".PP")
            out.append(inline(" ".join(para)))
            para.clear()

    for line in lines:
        if line.startswith("```"):
            flush()
            out.append(".fi" if in_code else ".nf")
            if in_code:
                out.append(".PP")
            in_code = not in_code
            continue
        if in_code:
            out.append(esc(line) if line else ".sp")
            continue
        m = re.match(r"^(#+)\s+(.*)", line)
        if m:
            flush()
            level = len(m.group(1))
            if level == 1:
                out.append(".SH DESCRIPTION")
            else:
                out.append((".SH " if level == 2 else ".SS ") + '"%s"' % inline(m.group(2)).upper().replace('"', ""))
            continue
        if line.startswith("|"):
            flush()
            if re.match(r"^\|[\s\-|:]+\|$", line):
                continue
            cells = [c.strip() for c in line.strip("|").split("|")]
            out.append(".TP")
            out.append(inline(cells[0]))
            out.append(inline(" \\(em ".join(cells[1:])) if len(cells) > 1 else "")
            continue
        if re.match(r"^\s*[-*] ", line):
            flush()
            out.append(".IP \\(bu 2")
            out.append(inline(re.sub(r"^\s*[-*] ", "", line)))
            continue
        if not line.strip():
            flush()
            continue
        para.append(line.strip())
    flush()
    out.append(".SH SEE ALSO")
    out.append("quotacase(1), quotacase-rules(5), quotacase-import(5), libquotacase(3), libquotacase-records(3), "
               "libquotacase-store(3), libquotacase-rules(3), libquotacase-assess(3), libquotacase-inspect(3), libquotacase-backend(3); "
               "%s in the package's documentation." % path.split("/")[-1])
    return "\n".join(out) + "\n"


def api(path, group, section, wanted):
    text = open(path, encoding="utf-8").read()
    parts = re.split(r"^/\* ---- (.*?) -+ \*/$", text, flags=re.M)
    out = ['.TH LIBQUOTACASE-%s 3 "" "libquotacase" "libquotacase"' % group.upper(),
           ".SH NAME", "libquotacase-%s \\- %s" % (group, esc(section)),
           ".SH SYNOPSIS", ".nf", "#include <%s>" % path.split("include/")[-1], ".fi", ".SH DESCRIPTION"]
    found = False
    for i in range(1, len(parts) - 1, 2):
        title, body = parts[i], parts[i + 1]
        if not any(title.startswith(w) for w in wanted):
            continue
        found = True
        out.append(".SS \"%s\"" % esc(title))
        # declarations with the comments before them, in order
        for block in re.split(r"\n\s*\n", body):
            block = block.strip("\n")
            if "QC_EXTERN" not in block and not re.search(r"^\s*(typedef|enum)\b", block, flags=re.M):
                if block.lstrip().startswith("/*"):  # a comment on its own: the section's prose
                    prose = re.sub(r"^\s*/?\*+/?\s?", "", block, flags=re.M).strip()
                    if prose:
                        out.append(".PP")
                        out.append(esc(prose))
                continue
            comment = "\n".join(re.findall(r"/\*(.*?)\*/", block, flags=re.S))
            code = re.sub(r"/\*.*?\*/", "", block, flags=re.S)
            code = "\n".join(l.rstrip() for l in code.replace("QC_EXTERN ", "").split("\n") if l.strip())
            prose = re.sub(r"^\s*\*\s?", "", comment, flags=re.M).strip()
            if prose:
                out.append(".PP")
                out.append(esc(prose))
            out.append(".PP")
            out.append(".nf")
            out.append(esc(code))
            out.append(".fi")
    if not found:
        sys.exit("mkman: no section of %s starts with %s" % (path, ", ".join(wanted)))
    out.append(".SH SEE ALSO")
    out.append("libquotacase(3), libquotacase-records(3), libquotacase-store(3), libquotacase-rules(3), "
               "libquotacase-assess(3), libquotacase-inspect(3), libquotacase-backend(3), quotacase(1); api.md in the package's "
               "documentation.")
    return "\n".join(out) + "\n"


def main():
    if len(sys.argv) >= 6 and sys.argv[1] == "doc":
        sys.stdout.write(doc(sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5]))
    elif len(sys.argv) >= 6 and sys.argv[1] == "api":
        sys.stdout.write(api(sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5:]))
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
