/* SPDX-License-Identifier: MIT
 * fuzz_expr.c - libFuzzer target: the expression language alone.  The
 * input is one condition, compiled against a schema with a fact of every
 * type; when it compiles it is evaluated on cases with and without facts.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "rules_internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const schema =
    "name: f\nversion: '1'\neffective_from: 2000-01-01\n"
    "facts:\n"
    "  n: {type: int, min: 0, max: 100, missing: false}\n"
    "  x: {type: decimal, missing: default, default: 1.5}\n"
    "  d: {type: date, missing: false}\n"
    "  s: {type: text, missing: false}\n"
    "  e: {type: enum, values: [low, mid, high], missing: false}\n"
    "  flag: {type: bool, missing: false}\n"
    "labels: [{id: hit}, {id: miss, fallback: true}]\n"
    "classify: [{id: r, label: hit, when: flag}]\n";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static qc_rules *rules;
    if (!rules && qc_rules_load_string(&rules, schema, "schema.yaml") != QC_OK) abort();
    char *text = malloc(size + 1);
    if (!text) return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    /* compile into a scratch copy of the rule set's program: its facts,
     * new node and list arrays */
    qc__program prog = rules->sets[0]->prog;
    prog.nodes = NULL;
    prog.nnodes = 0;
    prog.list_items = NULL;
    prog.nlist_items = 0;
    qc__arena arena = {0};
    qc__diag diag = {0};
    int32_t root;
    if (qc__expr_compile(&prog, &arena, text, "fuzz", 1, 1, "when", &diag, &root) == QC_OK) {
        qc__xvalue facts[6] = {{.i = 7}, {.d = 2.5}, {.i = 17000}, {.s = "abc"}, {.i = 1}, {.i = 1}};
        qc__eval_ctx ctx = {.prog = &prog, .facts = facts, .today = 17500, .registered = {.i = 17400}, .closed = {.missing = true}};
        ctx.fields_str[0] = "prosecution";
        qc__expr_holds(&ctx, root);
        for (int i = 0; i < 6; i++) facts[i].missing = true;
        qc__expr_holds(&ctx, root);
    }
    qc__diag_free(&diag);
    qc__arena_free(&arena);
    free(prog.nodes);
    free(prog.list_items);
    free(text);
    return 0;
}
