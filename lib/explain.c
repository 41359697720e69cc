/* SPDX-License-Identifier: MIT
 * explain.c - explanations of a classification: which rule was in scope,
 * which comparisons held with which values, what matched, in the text the
 * rule writer wrote.  The classifier adds its lines; evaluation reports
 * each comparison through qc__eval_ctx.note, which points here.  The text
 * goes to a buffer of EXPLAIN_BYTES in the result; what does not fit is
 * cut, never an error.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "rules_internal.h"

void qc__explain_add(qc__explain *e, const char *fmt, ...)
{
    if (!e->buf) {
        if (!(e->buf = malloc(EXPLAIN_BYTES))) return;
        e->cap = EXPLAIN_BYTES;
    }
    if (e->len + 1 >= e->cap) return; /* full: the rest is cut */
    va_list ap;
    va_start(ap, fmt);
    int n = qc__vsnprintf_c(e->buf + e->len, e->cap - e->len, fmt, ap);
    va_end(ap);
    if (n > 0) e->len = e->len + (size_t)n < e->cap ? e->len + (size_t)n : e->cap - 1;
}

void qc__explain_note(qc__explain *e, const qc__eval_ctx *ctx, int32_t node, qc__xvalue left, qc__xvalue right,
                      bool result)
{
    (void)ctx;
    const qc__ruleset *rs = e->rs;
    const qc__node *n = &rs->prog.nodes[node];
    const qc__node *a = &rs->prog.nodes[n->a];
    char lb[64], rb[64];
    /* the source text of the comparison is what the rule-writer wrote */
    const char *when = NULL;
    for (int i = 0; i < rs->nrules && !when; i++)
        if (node <= rs->rules[i].root && (i == 0 || node > rs->rules[i - 1].root)) when = rs->rules[i].when;
    qc__explain_add(e, "    %s %.*s", result ? "yes" : "no ", (int)(n->src_end - n->src_start), when ? when + n->src_start : "?");
    if (a->op == OP_FACT || a->op == OP_FIELD || a->op == OP_TODAY || n->op == OP_IN || n->op == OP_BETWEEN) {
        const char *name = a->op == OP_FACT ? rs->prog.facts[a->slot].name : "";
        qc__explain_add(e, "   [%s%s%s", name, *name ? " = " : "", qc__xvalue_text(lb, sizeof lb, &rs->prog, a, left));
        if (n->op != OP_IN && n->op != OP_BETWEEN) {
            const qc__node *b = &rs->prog.nodes[n->b];
            if (b->op != OP_CONST) qc__explain_add(e, ", %s", qc__xvalue_text(rb, sizeof rb, &rs->prog, b, right));
        }
        qc__explain_add(e, "]");
    }
    qc__explain_add(e, "\n");
}
