/* SPDX-License-Identifier: MIT
 * expr.c - the expression language of rule conditions (`when:`).
 *
 * Grammar (docs/rules.md has the user's version):
 *
 *   expr    := and ("or" and)*
 *   and     := not ("and" not)*
 *   not     := "not" not | cmp
 *   cmp     := sum [ ("=="|"="|"!="|"<"|"<="|">"|">=") sum
 *                  | ["not"] "in" "[" literal ("," literal)* "]"
 *                  | "between" sum "and" sum
 *                  | ("before"|"after") sum ]
 *   sum     := prod (("+"|"-") prod)*
 *   prod    := unary (("*"|"/") unary)*
 *   unary   := "-" unary | primary
 *   primary := NUMBER | DATE | STRING | "true" | "false" | "today" | NAME
 *            | "has" "(" NAME ")" | ("days"|"months"|"years") "(" sum "," sum ")"
 *            | "(" expr ")"
 *
 * NAME is a declared fact, a case field (case.line, case.type, case.source,
 * case.stage, case.registered, case.closed, case.office_level), or - next
 * to an enum fact or a text field - a bare word standing for a value.
 *
 * Compilation parses into typed nodes in the rule set's node array, checks
 * every type, resolves enum words to their index, and rejects conditions
 * that can be seen to always or never hold (constants, empty ranges, a
 * comparison outside a fact's declared min/max).  Evaluation walks the
 * nodes with values on the C stack: no allocation, no I/O, no loops, depth
 * bounded by QC_EXPR_MAX_DEPTH.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "expr.h"

#define QC_EXPR_MAX_DEPTH 32
#define QC_EXPR_MAX_NODES 512
#define QC_EXPR_MAX_TEXT 4096

/* ---- lexer ---- */

typedef enum tok_kind {
    T_END, T_NUM, T_DEC, T_DATE, T_STR, T_NAME,
    T_LP, T_RP, T_LB, T_RB, T_COMMA,
    T_EQ, T_NE, T_LT, T_LE, T_GT, T_GE, T_PLUS, T_MINUS, T_STAR, T_SLASH,
    T_BAD
} tok_kind;

typedef struct token {
    tok_kind kind;
    uint32_t start, end; /* byte offsets in the text */
    int64_t i;
    double d;
} token;

typedef struct parser {
    qc__program *prog;
    qc__arena *arena;
    const char *text;
    size_t len, pos;
    token tok;
    const char *file, *path;
    long line, col;
    qc__diag *diag;
    int depth, nodes_at_start;
    int error;
    int nodes_cap, items_cap;
} parser;

static bool is_name_char(char c) { return isalnum((unsigned char)c) || c == '_' || c == '.'; }

/* Report at byte offset `at` of the expression; only the first error of an
 * expression is kept, since the rest usually follow from it. */
/* The column in the rule file of byte `at` of the condition. */
static long column_at(const parser *p, uint32_t at)
{
    long col = p->col;
    for (uint32_t i = 0; i < at && i < p->len; i++) col += ((unsigned char)p->text[i] & 0xC0) != 0x80;
    return col;
}

static void perr(parser *p, uint32_t at, int code, const char *fmt, ...) QC__PRINTF(4, 5);
static void perr(parser *p, uint32_t at, int code, const char *fmt, ...)
{
    if (p->error) return;
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    qc__diag_add(p->diag, code, p->file, p->line, column_at(p, at), p->path, "%s", msg);
    p->error = code;
}

/* A warning at byte `at` of the condition: the rule set still loads. */
static void pwarn(parser *p, uint32_t at, const char *fmt, ...) QC__PRINTF(3, 4);
static void pwarn(parser *p, uint32_t at, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    qc__diag_warn(p->diag, p->file, p->line, column_at(p, at), p->path, "%s", msg);
}

static void next(parser *p)
{
    const char *s = p->text;
    while (p->pos < p->len && isspace((unsigned char)s[p->pos])) p->pos++;
    token t = {.start = (uint32_t)p->pos};
    size_t i = p->pos;
    if (i >= p->len) {
        t.kind = T_END;
    } else if (isdigit((unsigned char)s[i])) {
        /* YYYY-MM-DD is a date, not a subtraction */
        if (i + 10 <= p->len && s[i + 4] == '-' && s[i + 7] == '-' && (i + 10 == p->len || !isdigit((unsigned char)s[i + 10]))) {
            char buf[11];
            memcpy(buf, s + i, 10);
            buf[10] = '\0';
            t.kind = qc_date_parse(&t.i, buf) == QC_OK ? T_DATE : T_BAD;
            i += 10;
        } else {
            size_t j = i;
            bool dec = false;
            while (j < p->len && (isdigit((unsigned char)s[j]) || s[j] == '.' || s[j] == 'e' || s[j] == 'E' ||
                                  ((s[j] == '-' || s[j] == '+') && (s[j - 1] == 'e' || s[j - 1] == 'E')))) {
                dec |= !isdigit((unsigned char)s[j]);
                j++;
            }
            char buf[64];
            size_t n = j - i < sizeof buf - 1 ? j - i : sizeof buf - 1;
            memcpy(buf, s + i, n);
            buf[n] = '\0';
            char *end;
            errno = 0;
            if (dec) {
                t.d = qc__strtod(buf, &end);
                t.kind = *end || errno || !isfinite(t.d) ? T_BAD : T_DEC;
            } else {
                t.i = strtoll(buf, &end, 10);
                t.kind = *end || errno ? T_BAD : T_NUM;
            }
            i = j;
        }
    } else if (s[i] == '\'' || s[i] == '"') {
        const char *close = memchr(s + i + 1, s[i], p->len - i - 1);
        if (!close) {
            t.kind = T_BAD;
            i = p->len;
        } else {
            t.kind = T_STR;
            i = (size_t)(close - s) + 1;
        }
    } else if (isalpha((unsigned char)s[i]) || s[i] == '_' || ((unsigned char)s[i] & 0x80)) {
        while (i < p->len && (is_name_char(s[i]) || ((unsigned char)s[i] & 0x80))) i++;
        t.kind = T_NAME;
    } else {
        static const struct { const char *text; tok_kind kind; } ops[] = {
            {"==", T_EQ}, {"!=", T_NE}, {"<=", T_LE}, {">=", T_GE}, {"=", T_EQ}, {"<", T_LT}, {">", T_GT},
            {"(", T_LP}, {")", T_RP}, {"[", T_LB}, {"]", T_RB}, {",", T_COMMA}, {"+", T_PLUS},
            {"-", T_MINUS}, {"*", T_STAR}, {"/", T_SLASH},
        };
        t.kind = T_BAD;
        for (size_t k = 0; k < QC__ARRAY_LEN(ops); k++) {
            size_t n = strlen(ops[k].text);
            if (i + n <= p->len && !memcmp(s + i, ops[k].text, n)) {
                t.kind = ops[k].kind;
                i += n;
                break;
            }
        }
        if (t.kind == T_BAD) i++;
    }
    t.end = (uint32_t)i;
    p->pos = i;
    p->tok = t;
}

static bool tok_is_word(const parser *p, const char *word)
{
    size_t n = strlen(word);
    return p->tok.kind == T_NAME && p->tok.end - p->tok.start == n && !memcmp(p->text + p->tok.start, word, n);
}

/* ---- nodes ---- */

static int add_node(parser *p, qc__node n)
{
    qc__program *prog = p->prog;
    if (prog->nnodes - p->nodes_at_start >= QC_EXPR_MAX_NODES) {
        perr(p, n.src_start, QC_ETOOLONG, "condition too large (more than %d parts)", QC_EXPR_MAX_NODES);
        return -1;
    }
    if (prog->nnodes == p->nodes_cap) {
        int cap = p->nodes_cap ? p->nodes_cap * 2 : 256;
        qc__node *nodes = realloc(prog->nodes, sizeof *nodes * (size_t)cap);
        if (!nodes) {
            perr(p, n.src_start, QC_ENOMEM, "out of memory");
            return -1;
        }
        prog->nodes = nodes;
        p->nodes_cap = cap;
    }
    prog->nodes[prog->nnodes] = n;
    return prog->nnodes++;
}

static qc__node *N(parser *p, int i) { return &p->prog->nodes[i]; }

static const char *type_name(int t)
{
    static const char *const names[] = {"?", "bool", "int", "decimal", "date", "text", "enum"};
    return t >= 0 && t <= X_ENUM ? names[t] : "?";
}

static bool numeric(int t) { return t == X_INT || t == X_DEC; }

/* A bare word that is not a fact: a symbol, typed X_STR, until context
 * makes it an enum value or a text value. */
#define SYMBOL_FLAG 0x80


static int parse_expr(parser *p);
static int parse_sum(parser *p);

/* Edit distance, for "did you mean". */
static int distance(const char *a, size_t la, const char *b)
{
    size_t lb = strlen(b);
    if (la > 40 || lb > 40) return 99;
    int row[41];
    for (size_t j = 0; j <= lb; j++) row[j] = (int)j;
    for (size_t i = 1; i <= la; i++) {
        int prev = row[0], cur;
        row[0] = (int)i;
        for (size_t j = 1; j <= lb; j++) {
            cur = row[j];
            int sub = prev + (a[i - 1] != b[j - 1]);
            int del = row[j] + 1, ins = row[j - 1] + 1;
            row[j] = sub < del ? (sub < ins ? sub : ins) : (del < ins ? del : ins);
            prev = cur;
        }
    }
    return row[lb];
}

static int find_fact(const qc__program *prog, const char *name, size_t len)
{
    for (int i = 0; i < prog->nfacts; i++)
        if (strlen(prog->facts[i].name) == len && !memcmp(prog->facts[i].name, name, len)) return i;
    return -1;
}

static const struct { const char *name; qc__case_field field; qc__xtype type; } case_fields[] = {
    {"case.line", CF_LINE, X_STR},         {"case.type", CF_TYPE, X_STR},
    {"case.source", CF_SOURCE, X_STR},     {"case.stage", CF_STAGE, X_STR},
    {"case.registered", CF_REGISTERED, X_DATE}, {"case.closed", CF_CLOSED, X_DATE},
    {"case.office_level", CF_OFFICE_LEVEL, X_STR},
};

static int parse_name(parser *p)
{
    token t = p->tok;
    const char *s = p->text + t.start;
    size_t len = t.end - t.start;
    next(p);
    if (len == 4 && !memcmp(s, "true", 4)) return add_node(p, (qc__node){.op = OP_CONST, .type = X_BOOL, .k.i = 1, .src_start = t.start, .src_end = t.end});
    if (len == 5 && !memcmp(s, "false", 5)) return add_node(p, (qc__node){.op = OP_CONST, .type = X_BOOL, .k.i = 0, .src_start = t.start, .src_end = t.end});
    if (len == 5 && !memcmp(s, "today", 5)) return add_node(p, (qc__node){.op = OP_TODAY, .type = X_DATE, .src_start = t.start, .src_end = t.end});
    int f = find_fact(p->prog, s, len);
    if (f >= 0)
        return add_node(p, (qc__node){.op = OP_FACT, .type = (uint8_t)p->prog->facts[f].type, .slot = f, .src_start = t.start, .src_end = t.end});
    for (size_t i = 0; i < QC__ARRAY_LEN(case_fields); i++)
        if (strlen(case_fields[i].name) == len && !memcmp(case_fields[i].name, s, len))
            return add_node(p, (qc__node){.op = OP_FIELD, .type = (uint8_t)case_fields[i].type, .slot = (int32_t)case_fields[i].field, .src_start = t.start, .src_end = t.end});
    if (memchr(s, '.', len)) {
        perr(p, t.start, QC_EUNKNOWN, "unknown case field '%.*s' (case.line, case.type, case.source, case.stage, case.registered, case.closed, case.office_level)", (int)len, s);
        return -1;
    }
    /* A symbol: its meaning comes from what it is compared with. */
    char *word = qc__arena_alloc(p->arena, len + 1);
    if (!word) { perr(p, t.start, QC_ENOMEM, "out of memory"); return -1; }
    memcpy(word, s, len);
    word[len] = '\0';
    return add_node(p, (qc__node){.op = OP_CONST, .type = X_STR | SYMBOL_FLAG, .k.s = word, .src_start = t.start, .src_end = t.end});
}

/* An unresolved symbol where a value is needed: say it is an unknown fact. */
static bool reject_symbol(parser *p, int n)
{
    if (n < 0 || !(N(p, n)->type & SYMBOL_FLAG)) return false;
    const char *word = N(p, n)->k.s;
    const char *best = NULL;
    int best_d = 3;
    for (int i = 0; i < p->prog->nfacts; i++) {
        int d = distance(word, strlen(word), p->prog->facts[i].name);
        if (d < best_d) best_d = d, best = p->prog->facts[i].name;
    }
    if (best)
        perr(p, N(p, n)->src_start, QC_EUNKNOWN, "unknown fact '%s' (did you mean '%s'?)", word, best);
    else
        perr(p, N(p, n)->src_start, QC_EUNKNOWN, "unknown fact '%s' (declare it under facts:)", word);
    return true;
}

static int expect(parser *p, tok_kind kind, const char *what)
{
    if (p->tok.kind != kind) {
        perr(p, p->tok.start, QC_ESYNTAX, "expected %s", what);
        return -1;
    }
    next(p);
    return 0;
}

/* Is the next token '(' ? (A word is a function only when called, so a
 * fact may be named `days` or `years`.) */
static bool called(const parser *p)
{
    size_t i = p->pos;
    while (i < p->len && isspace((unsigned char)p->text[i])) i++;
    return i < p->len && p->text[i] == '(';
}

static int parse_primary(parser *p)
{
    token t = p->tok;
    if (++p->depth > QC_EXPR_MAX_DEPTH) {
        perr(p, t.start, QC_ETOOLONG, "condition nested more than %d deep", QC_EXPR_MAX_DEPTH);
        return -1;
    }
    int n = -1;
    switch (t.kind) {
    case T_NUM: next(p); n = add_node(p, (qc__node){.op = OP_CONST, .type = X_INT, .k.i = t.i, .src_start = t.start, .src_end = t.end}); break;
    case T_DEC: next(p); n = add_node(p, (qc__node){.op = OP_CONST, .type = X_DEC, .k.d = t.d, .src_start = t.start, .src_end = t.end}); break;
    case T_DATE: next(p); n = add_node(p, (qc__node){.op = OP_CONST, .type = X_DATE, .k.i = t.i, .src_start = t.start, .src_end = t.end}); break;
    case T_STR: {
        next(p);
        size_t len = t.end - t.start - 2;
        char *s = qc__arena_alloc(p->arena, len + 1);
        if (!s) { perr(p, t.start, QC_ENOMEM, "out of memory"); break; }
        memcpy(s, p->text + t.start + 1, len);
        s[len] = '\0';
        n = add_node(p, (qc__node){.op = OP_CONST, .type = X_STR, .k.s = s, .src_start = t.start, .src_end = t.end});
        break;
    }
    case T_LP:
        next(p);
        n = parse_expr(p);
        if (n >= 0 && expect(p, T_RP, "')'") < 0) n = -1;
        break;
    case T_NAME:
        if (tok_is_word(p, "has") && called(p)) {
            next(p);
            if (expect(p, T_LP, "'(' after has") < 0) break;
            token f = p->tok;
            int slot = f.kind == T_NAME ? find_fact(p->prog, p->text + f.start, f.end - f.start) : -1;
            if (slot < 0) { perr(p, f.start, QC_EUNKNOWN, "has() takes a declared fact"); break; }
            next(p);
            if (expect(p, T_RP, "')'") < 0) break;
            n = add_node(p, (qc__node){.op = OP_HAS, .type = X_BOOL, .slot = slot, .src_start = t.start, .src_end = p->tok.start});
        } else if ((tok_is_word(p, "days") || tok_is_word(p, "months") || tok_is_word(p, "years")) && called(p)) {
            qc__op op = tok_is_word(p, "days") ? OP_DAYS : tok_is_word(p, "months") ? OP_MONTHS : OP_YEARS;
            next(p);
            if (expect(p, T_LP, "'(' after days, months or years") < 0) break;
            int a = parse_sum(p);
            if (a < 0 || expect(p, T_COMMA, "',' between the two dates") < 0) break;
            int b = parse_sum(p);
            if (b < 0) break;
            uint32_t end = p->tok.end;
            if (expect(p, T_RP, "')'") < 0) break;
            if (N(p, a)->type != X_DATE || N(p, b)->type != X_DATE) {
                if (!reject_symbol(p, N(p, a)->type != X_DATE ? a : b))
                    perr(p, t.start, QC_ETYPE, "%.*s() takes two dates", (int)(t.end - t.start), p->text + t.start);
                break;
            }
            n = add_node(p, (qc__node){.op = (uint8_t)op, .type = X_INT, .a = a, .b = b, .src_start = t.start, .src_end = end});
        } else {
            n = parse_name(p);
        }
        break;
    case T_END: perr(p, t.start, QC_ESYNTAX, "condition ends too early"); break;
    case T_BAD: perr(p, t.start, QC_ESYNTAX, "cannot read '%.*s'", (int)(t.end - t.start), p->text + t.start); break;
    default: perr(p, t.start, QC_ESYNTAX, "unexpected '%.*s'", (int)(t.end - t.start), p->text + t.start); break;
    }
    p->depth--;
    return p->error ? -1 : n;
}

static int parse_unary(parser *p)
{
    if (p->tok.kind == T_MINUS) {
        uint32_t start = p->tok.start;
        next(p);
        int a = parse_unary(p);
        if (a < 0) return -1;
        if (reject_symbol(p, a)) return -1;
        if (!numeric(N(p, a)->type)) {
            perr(p, start, QC_ETYPE, "'-' needs a number, not %s", type_name(N(p, a)->type));
            return -1;
        }
        return add_node(p, (qc__node){.op = OP_NEG, .type = N(p, a)->type, .a = a, .src_start = start, .src_end = N(p, a)->src_end});
    }
    return parse_primary(p);
}

/* Type of a + b or a - b (or * /), or 0 if not allowed. */
static int arith_type(qc__op op, int ta, int tb)
{
    if (numeric(ta) && numeric(tb)) return op == OP_DIV || ta == X_DEC || tb == X_DEC ? X_DEC : X_INT;
    if (op == OP_ADD && ta == X_DATE && tb == X_INT) return X_DATE;
    if (op == OP_ADD && ta == X_INT && tb == X_DATE) return X_DATE;
    if (op == OP_SUB && ta == X_DATE && tb == X_INT) return X_DATE;
    if (op == OP_SUB && ta == X_DATE && tb == X_DATE) return X_INT;
    return 0;
}

static int binary(parser *p, qc__op op, int a, int b, uint32_t at)
{
    if (a < 0 || b < 0) return -1;
    if (reject_symbol(p, a) || reject_symbol(p, b)) return -1;
    int t = arith_type(op, N(p, a)->type, N(p, b)->type);
    if (!t) {
        static const char *const sym[] = {[OP_ADD] = "+", [OP_SUB] = "-", [OP_MUL] = "*", [OP_DIV] = "/"};
        perr(p, at, QC_ETYPE, "cannot apply '%s' to %s and %s", sym[op], type_name(N(p, a)->type), type_name(N(p, b)->type));
        return -1;
    }
    return add_node(p, (qc__node){.op = (uint8_t)op, .type = (uint8_t)t, .a = a, .b = b, .src_start = N(p, a)->src_start, .src_end = N(p, b)->src_end});
}

/* A divisor that can be zero leaves the quotient without a value, so the
 * comparison that reads it is false for that case (docs/rules.md): a
 * constant 0 is an error, anything else not kept from 0 by its declared
 * range is a warning. */
/* The end of the source of a node whose span stops short of the ')' it
 * opened ("x / (n - 1" is "x / (n - 1)"). */
static uint32_t balanced_end(const parser *p, uint32_t start, uint32_t end)
{
    int open = 0;
    for (uint32_t i = start; i < end; i++) open += p->text[i] == '(' ? 1 : p->text[i] == ')' ? -1 : 0;
    while (open > 0 && end < p->len && (p->text[end] == ' ' || p->text[end] == ')')) open -= p->text[end++] == ')';
    return end;
}

static void check_divisor(parser *p, int div)
{
    const qc__node *n = N(p, div), *d = N(p, n->b);
    int len = (int)(balanced_end(p, n->src_start, n->src_end) - n->src_start);
    if (d->op == OP_CONST) {
        if (d->type == X_DEC ? d->k.d == 0 : d->k.i == 0)
            perr(p, d->src_start, QC_ECONST, "'%.*s' divides by zero", len, p->text + n->src_start);
        return;
    }
    if (d->op == OP_FACT) {
        const qc__fact_def *f = &p->prog->facts[d->slot];
        if ((f->has_min && f->min > 0) || (f->has_max && f->max < 0)) return;
        pwarn(p, d->src_start,
              "in '%.*s' the divisor %s can be 0 (its declared range allows it); for such a case the quotient has "
              "no value and the comparison is false (declare min: above 0 to say it cannot)",
              len, p->text + n->src_start, f->name);
        return;
    }
    pwarn(p, d->src_start,
          "in '%.*s' the divisor '%.*s' can be 0; for such a case the quotient has no value and the comparison is false",
          len, p->text + n->src_start, (int)(d->src_end - d->src_start), p->text + d->src_start);
}

static int parse_prod(parser *p)
{
    int a = parse_unary(p);
    while (a >= 0 && (p->tok.kind == T_STAR || p->tok.kind == T_SLASH)) {
        qc__op op = p->tok.kind == T_STAR ? OP_MUL : OP_DIV;
        uint32_t at = p->tok.start;
        next(p);
        a = binary(p, op, a, parse_unary(p), at);
        if (a >= 0 && op == OP_DIV) check_divisor(p, a);
    }
    return a;
}

static int parse_sum(parser *p)
{
    int a = parse_prod(p);
    while (a >= 0 && (p->tok.kind == T_PLUS || p->tok.kind == T_MINUS)) {
        qc__op op = p->tok.kind == T_PLUS ? OP_ADD : OP_SUB;
        uint32_t at = p->tok.start;
        next(p);
        a = binary(p, op, a, parse_prod(p), at);
    }
    return a;
}

/*
 * Make constant node c fit the type of value node v for a comparison:
 * a symbol or string next to an enum fact becomes the value's index; a
 * symbol next to text becomes that text; an int next to a decimal stays
 * (evaluation promotes).  Returns false after reporting a mismatch.
 */
static bool coerce(parser *p, int v, int c, uint32_t at)
{
    qc__node *vn = N(p, v), *cn = N(p, c);
    int vt = vn->type & ~SYMBOL_FLAG, ct = cn->type & ~SYMBOL_FLAG;
    if (vt == X_ENUM && cn->op == OP_CONST && ct == X_STR) {
        const qc__fact_def *f = &p->prog->facts[vn->slot];
        for (int i = 0; i < f->nvalues; i++)
            if (!strcmp(f->values[i], cn->k.s)) {
                cn->type = X_ENUM;
                cn->slot = vn->slot;
                cn->k.i = i;
                return true;
            }
        char allowed[300] = "";
        for (int i = 0; i < f->nvalues; i++) {
            strncat(allowed, i ? ", " : "", sizeof allowed - strlen(allowed) - 1);
            strncat(allowed, f->values[i], sizeof allowed - strlen(allowed) - 1);
        }
        perr(p, cn->src_start, QC_EVALUE, "'%s' is not a value of %s (%s)", cn->k.s, f->name, allowed);
        return false;
    }
    if (vt == X_STR && (cn->type & SYMBOL_FLAG)) {
        cn->type = X_STR;
        return true;
    }
    if (cn->type & SYMBOL_FLAG) {
        reject_symbol(p, c);
        return false;
    }
    if (vt == ct || (numeric(vt) && numeric(ct))) return true;
    perr(p, at, QC_ETYPE, "cannot compare %s with %s", type_name(vt), type_name(ct));
    return false;
}

static bool is_value(const qc__node *n) { return !(n->type & SYMBOL_FLAG); }

/* Can a bare word be read as a value next to node v (an enum fact, or a
 * text fact or field)? */
static bool takes_word(const qc__node *v)
{
    return v->op != OP_CONST && ((v->type & ~SYMBOL_FLAG) == X_ENUM || v->type == X_STR);
}

/* Compare a against b where either may be a constant or a bare word. */
static bool coerce_pair(parser *p, int a, int b, uint32_t at)
{
    if (!is_value(N(p, a))) {
        if (!takes_word(N(p, b))) { reject_symbol(p, a); return false; }
        return coerce(p, b, a, at);
    }
    if (!is_value(N(p, b))) {
        if (!takes_word(N(p, a))) { reject_symbol(p, b); return false; }
        return coerce(p, a, b, at);
    }
    if (N(p, b)->op == OP_CONST) return coerce(p, a, b, at);
    if (N(p, a)->op == OP_CONST) return coerce(p, b, a, at);
    return coerce(p, a, b, at);
}

static bool orderable(int t) { return numeric(t) || t == X_DATE || t == X_ENUM; }

static int add_list_item(parser *p, qc__xvalue v)
{
    qc__program *prog = p->prog;
    if (prog->nlist_items == p->items_cap) {
        int cap = p->items_cap ? p->items_cap * 2 : 64;
        qc__xvalue *items = realloc(prog->list_items, sizeof *items * (size_t)cap);
        if (!items) { perr(p, 0, QC_ENOMEM, "out of memory"); return -1; }
        prog->list_items = items;
        p->items_cap = cap;
    }
    prog->list_items[prog->nlist_items] = v;
    return prog->nlist_items++;
}

static int parse_in(parser *p, int a, bool negate, uint32_t at)
{
    if (expect(p, T_LB, "'[' after in") < 0) return -1;
    int first = p->prog->nlist_items, count = 0;
    while (p->tok.kind != T_RB) {
        int c = parse_unary(p);
        if (c < 0) return -1;
        if (N(p, c)->op != OP_CONST) {
            perr(p, N(p, c)->src_start, QC_ETYPE, "the list after 'in' holds constants only");
            return -1;
        }
        if (!coerce(p, a, c, N(p, c)->src_start)) return -1;
        qc__xvalue v = N(p, c)->k;
        if (N(p, a)->type == X_DEC && N(p, c)->type == X_INT) v.d = (double)v.i;
        if (add_list_item(p, v) < 0) return -1;
        count++;
        if (p->tok.kind == T_COMMA) next(p);
        else if (p->tok.kind != T_RB) { perr(p, p->tok.start, QC_ESYNTAX, "expected ',' or ']' in the list"); return -1; }
    }
    uint32_t end = p->tok.end;
    next(p);
    if (count == 0) { perr(p, at, QC_ECONST, "'in []' can never hold"); return -1; }
    if (N(p, a)->type == X_BOOL) { perr(p, at, QC_ETYPE, "'in' does not take true/false values"); return -1; }
    int n = add_node(p, (qc__node){.op = OP_IN, .type = X_BOOL, .a = a, .b = first, .c = count, .src_start = N(p, a)->src_start, .src_end = end});
    if (n >= 0 && negate) n = add_node(p, (qc__node){.op = OP_NOT, .type = X_BOOL, .a = n, .src_start = N(p, a)->src_start, .src_end = end});
    return n;
}

/* Can `fact op k` never (or always) hold given the fact's min/max? */
static void check_range(parser *p, int cmp)
{
    qc__node *n = N(p, cmp), *a = N(p, n->a), *b = N(p, n->b);
    if (a->op != OP_FACT || b->op != OP_CONST || !numeric(a->type)) return;
    const qc__fact_def *f = &p->prog->facts[a->slot];
    double k = b->type == X_DEC ? b->k.d : (double)b->k.i;
    bool never = false, always = false;
    switch (n->op) {
    case OP_LT: never = f->has_min && f->min >= k; always = f->has_max && f->max < k; break;
    case OP_LE: never = f->has_min && f->min > k; always = f->has_max && f->max <= k; break;
    case OP_GT: never = f->has_max && f->max <= k; always = f->has_min && f->min > k; break;
    case OP_GE: never = f->has_max && f->max < k; always = f->has_min && f->min >= k; break;
    case OP_EQ: never = (f->has_min && k < f->min) || (f->has_max && k > f->max); break;
    default: break;
    }
    if (!never && !always) return;
    /* only the bounds that were declared, each once */
    char bounds[80] = "", max[40] = "";
    if (f->has_min) qc__snprintf_c(bounds, sizeof bounds, "min %.15g", f->min);
    if (f->has_max) qc__snprintf_c(max, sizeof max, "%smax %.15g", f->has_min ? ", " : "", f->max);
    strncat(bounds, max, sizeof bounds - strlen(bounds) - 1);
    perr(p, n->src_start, QC_ECONST, "'%.*s' %s holds: %s is declared %s", (int)(n->src_end - n->src_start),
         p->text + n->src_start, never ? "never" : "always", f->name, bounds);
}

static int parse_cmp(parser *p)
{
    int a = parse_sum(p);
    if (a < 0) return -1;
    static const struct { tok_kind tok; qc__op op; } ops[] = {
        {T_EQ, OP_EQ}, {T_NE, OP_NE}, {T_LT, OP_LT}, {T_LE, OP_LE}, {T_GT, OP_GT}, {T_GE, OP_GE},
    };
    uint32_t at = p->tok.start;
    for (size_t i = 0; i < QC__ARRAY_LEN(ops); i++) {
        if (p->tok.kind != ops[i].tok) continue;
        next(p);
        int b = parse_sum(p);
        if (b < 0 || !coerce_pair(p, a, b, at)) return -1;
        int t = N(p, a)->type;
        if (ops[i].op != OP_EQ && ops[i].op != OP_NE && !orderable(t)) {
            perr(p, at, QC_ETYPE, "%s values can only be compared with == and !=", type_name(t));
            return -1;
        }
        int n = add_node(p, (qc__node){.op = (uint8_t)ops[i].op, .type = X_BOOL, .a = a, .b = b, .src_start = N(p, a)->src_start, .src_end = N(p, b)->src_end});
        if (n >= 0) {
            check_range(p, n);
            const qc__node *x = N(p, a), *y = N(p, b);
            int tx = x->type & ~SYMBOL_FLAG;
            if (x->op == OP_FACT && y->op == OP_CONST && tx == y->type &&
                (tx == X_INT || tx == X_DATE || tx == X_ENUM || tx == X_BOOL))
                N(p, n)->fast = FAST_INT;
            else if (x->op == OP_FACT && y->op == OP_CONST && tx == X_DEC && numeric(y->type))
                N(p, n)->fast = FAST_DEC;
            else if ((x->op == OP_ADD || x->op == OP_SUB || x->op == OP_MUL || x->op == OP_DIV || x->op == OP_DAYS) &&
                     y->op == OP_CONST && numeric(y->type) && numeric(x->type))
                N(p, n)->fast = FAST_ARITH;
            else if (x->op == OP_FIELD && x->type == X_STR && y->op == OP_CONST && y->type == X_STR &&
                     (ops[i].op == OP_EQ || ops[i].op == OP_NE) && x->slot <= CF_STAGE)
                N(p, n)->fast = FAST_FIELD_STR;
        }
        return p->error ? -1 : n;
    }
    if (tok_is_word(p, "in")) {
        next(p);
        if (reject_symbol(p, a)) return -1;
        return parse_in(p, a, false, at);
    }
    if (tok_is_word(p, "not")) {
        next(p);
        if (!tok_is_word(p, "in")) { perr(p, p->tok.start, QC_ESYNTAX, "expected 'in' after 'not'"); return -1; }
        next(p);
        if (reject_symbol(p, a)) return -1;
        return parse_in(p, a, true, at);
    }
    if (tok_is_word(p, "between")) {
        next(p);
        if (reject_symbol(p, a)) return -1;
        int lo = parse_sum(p);
        if (lo < 0 || !coerce_pair(p, a, lo, at)) return -1;
        if (!tok_is_word(p, "and")) { perr(p, p->tok.start, QC_ESYNTAX, "expected 'and' in 'between ... and ...'"); return -1; }
        next(p);
        int hi = parse_sum(p);
        if (hi < 0 || !coerce_pair(p, a, hi, at)) return -1;
        if (!orderable(N(p, a)->type)) { perr(p, at, QC_ETYPE, "'between' needs numbers, dates or enum values"); return -1; }
        qc__node *l = N(p, lo), *h = N(p, hi);
        if (l->op == OP_CONST && h->op == OP_CONST) {
            double lv = l->type == X_DEC ? l->k.d : (double)l->k.i, hv = h->type == X_DEC ? h->k.d : (double)h->k.i;
            if (lv > hv) { perr(p, l->src_start, QC_ECONST, "'between' range is empty: it can never hold"); return -1; }
        }
        return add_node(p, (qc__node){.op = OP_BETWEEN, .type = X_BOOL, .a = a, .b = lo, .c = hi, .src_start = N(p, a)->src_start, .src_end = N(p, hi)->src_end});
    }
    if (tok_is_word(p, "before") || tok_is_word(p, "after")) {
        qc__op op = tok_is_word(p, "before") ? OP_LT : OP_GT;
        next(p);
        int b = parse_sum(p);
        if (b < 0) return -1;
        if (reject_symbol(p, a) || reject_symbol(p, b)) return -1;
        if (N(p, a)->type != X_DATE || N(p, b)->type != X_DATE) {
            perr(p, at, QC_ETYPE, "'before' and 'after' compare dates");
            return -1;
        }
        return add_node(p, (qc__node){.op = (uint8_t)op, .type = X_BOOL, .a = a, .b = b, .src_start = N(p, a)->src_start, .src_end = N(p, b)->src_end});
    }
    return a;
}

static int need_bool(parser *p, int n)
{
    if (n < 0) return -1;
    if (reject_symbol(p, n)) return -1;
    if (N(p, n)->op == OP_FACT && N(p, n)->type == X_BOOL) N(p, n)->fast = FAST_BOOL_FACT;
    if (N(p, n)->type != X_BOOL) {
        perr(p, N(p, n)->src_start, QC_ETYPE, "expected a condition, found %s '%.*s'", type_name(N(p, n)->type),
             (int)(N(p, n)->src_end - N(p, n)->src_start), p->text + N(p, n)->src_start);
        return -1;
    }
    return n;
}

static int parse_not(parser *p)
{
    if (tok_is_word(p, "not")) {
        uint32_t start = p->tok.start;
        next(p);
        if (++p->depth > QC_EXPR_MAX_DEPTH) { perr(p, start, QC_ETOOLONG, "condition nested more than %d deep", QC_EXPR_MAX_DEPTH); return -1; }
        int a = need_bool(p, parse_not(p));
        p->depth--;
        if (a < 0) return -1;
        return add_node(p, (qc__node){.op = OP_NOT, .type = X_BOOL, .a = a, .src_start = start, .src_end = N(p, a)->src_end});
    }
    return parse_cmp(p);
}

static int parse_and(parser *p)
{
    int a = parse_not(p);
    while (a >= 0 && tok_is_word(p, "and")) {
        next(p);
        int b = need_bool(p, parse_not(p));
        if (need_bool(p, a) < 0 || b < 0) return -1;
        a = add_node(p, (qc__node){.op = OP_AND, .type = X_BOOL, .a = a, .b = b, .src_start = N(p, a)->src_start, .src_end = N(p, b)->src_end});
    }
    return a;
}

static int parse_expr(parser *p)
{
    int a = parse_and(p);
    while (a >= 0 && tok_is_word(p, "or")) {
        next(p);
        int b = need_bool(p, parse_and(p));
        if (need_bool(p, a) < 0 || b < 0) return -1;
        a = add_node(p, (qc__node){.op = OP_OR, .type = X_BOOL, .a = a, .b = b, .src_start = N(p, a)->src_start, .src_end = N(p, b)->src_end});
    }
    return a;
}

/* Does node n read anything from the case (a fact, a field, today)? */
static bool reads_case(const qc__program *prog, int n)
{
    const qc__node *x = &prog->nodes[n];
    switch (x->op) {
    case OP_CONST: return false;
    case OP_FACT: case OP_FIELD: case OP_TODAY: case OP_HAS: return true;
    case OP_IN: case OP_NOT: case OP_NEG: return reads_case(prog, x->a);
    case OP_BETWEEN: return reads_case(prog, x->a) || reads_case(prog, x->b) || reads_case(prog, x->c);
    default: return reads_case(prog, x->a) || reads_case(prog, x->b);
    }
}

int qc__expr_compile(qc__program *prog, qc__arena *arena, const char *text, const char *file, long line,
                     long col, const char *path, qc__diag *diag, int32_t *root)
{
    parser p = {.prog = prog, .arena = arena, .text = text, .len = strlen(text), .file = file, .path = path,
                .line = line, .col = col, .diag = diag, .nodes_at_start = prog->nnodes,
                .nodes_cap = prog->nnodes, .items_cap = prog->nlist_items};
    if (p.len > QC_EXPR_MAX_TEXT) {
        perr(&p, 0, QC_ETOOLONG, "condition longer than %d bytes", QC_EXPR_MAX_TEXT);
        return p.error;
    }
    /* the arrays grow by doubling from their current size: give the
     * capacity trackers their real values */
    p.nodes_cap = prog->nnodes;
    next(&p);
    int n = need_bool(&p, parse_expr(&p));
    if (n >= 0 && p.tok.kind != T_END)
        perr(&p, p.tok.start, QC_ESYNTAX, p.tok.kind == T_BAD ? "cannot read '%.*s'" : "unexpected '%.*s' after the condition",
             (int)(p.tok.end - p.tok.start), text + p.tok.start);
    if (!p.error && !reads_case(prog, n)) {
        qc__eval_ctx ctx = {.prog = prog};
        qc__xvalue v = qc__expr_eval(&ctx, n);
        perr(&p, 0, QC_ECONST, "condition reads nothing from the case: it %s holds", v.i ? "always" : "never");
    }
    if (p.error) return p.error;
    *root = n;
    return QC_OK;
}

/* ---- evaluation ---- */

static double as_dec(const qc__node *n, qc__xvalue v) { return n->type == X_DEC ? v.d : (double)v.i; }

/* Full months from date a to date b (negative if b is before a). */
static int64_t months_between(int64_t a, int64_t b)
{
    char sa[16], sb[16];
    qc_date_format(sa, sizeof sa, a);
    qc_date_format(sb, sizeof sb, b);
    int ya = atoi(sa), ma = atoi(sa + 5), da = atoi(sa + 8);
    int yb = atoi(sb), mb = atoi(sb + 5), db = atoi(sb + 8);
    int64_t m = (int64_t)(yb - ya) * 12 + (mb - ma);
    if (m > 0 && db < da) m--;
    if (m < 0 && db > da) m++;
    return m;
}

static inline int compare(const qc__program *prog, const qc__node *a, qc__xvalue x, const qc__node *b, qc__xvalue y)
{
    int t = a->type;
    if (t == b->type && t != X_STR && t != X_DEC) return x.i < y.i ? -1 : x.i > y.i;
    if (t == X_STR) return strcmp(x.s, y.s);
    if (numeric(t) && (t == X_DEC || b->type == X_DEC)) {
        double dx = as_dec(a, x), dy = as_dec(b, y);
        return dx < dy ? -1 : dx > dy;
    }
    (void)prog;
    return x.i < y.i ? -1 : x.i > y.i;
}

static qc__xvalue missing_value(void) { return (qc__xvalue){.missing = true}; }
static qc__xvalue bool_value(bool b) { return (qc__xvalue){.i = b}; }

/* Most operands are a fact or a constant: read those in place rather than
 * through a call (the 50-rule benchmark spends most of its time here). */
static inline qc__xvalue operand(const qc__eval_ctx *ctx, int32_t node)
{
    const qc__node *n = &ctx->prog->nodes[node];
    if (n->op == OP_FACT) return ctx->facts[n->slot];
    if (n->op == OP_CONST) return n->k;
    return qc__expr_eval(ctx, node);
}

bool qc__expr_holds(const qc__eval_ctx *ctx, int32_t node) { return qc__holds(ctx, node); }

qc__xvalue qc__expr_eval(const qc__eval_ctx *ctx, int32_t node)
{
    const qc__program *prog = ctx->prog;
    const qc__node *n = &prog->nodes[node];
    qc__xvalue a, b, c;
    switch ((qc__op)n->op) {
    case OP_CONST: return n->k;
    case OP_FACT: return ctx->facts[n->slot];
    case OP_HAS: return bool_value(!ctx->facts[n->slot].missing);
    case OP_TODAY: return (qc__xvalue){.i = ctx->today};
    case OP_FIELD:
        switch ((qc__case_field)n->slot) {
        case CF_REGISTERED: return ctx->registered;
        case CF_CLOSED: return ctx->closed;
        case CF_OFFICE_LEVEL: {
            const char *level = qc__enum_name(QC_KIND_OFFICE, QC_OFFICE_LEVEL, ctx->office_level);
            return level ? (qc__xvalue){.s = level} : missing_value();
        }
        default: {
            const char *s = ctx->fields_str[n->slot];
            return s ? (qc__xvalue){.s = s} : missing_value();
        }
        }
    case OP_NOT:
        a = qc__expr_eval(ctx, n->a);
        return bool_value(!(a.i && !a.missing));
    case OP_AND: return bool_value(qc__holds(ctx, n->a) && qc__holds(ctx, n->b));
    case OP_OR: return bool_value(qc__holds(ctx, n->a) || qc__holds(ctx, n->b));
    case OP_NEG:
        a = qc__expr_eval(ctx, n->a);
        if (a.missing) return a;
        if (n->type == X_DEC) a.d = -a.d;
        else a.i = -a.i;
        return a;
    case OP_ADD: case OP_SUB: case OP_MUL: case OP_DIV: {
        a = operand(ctx, n->a);
        b = operand(ctx, n->b);
        if (a.missing || b.missing) return missing_value();
        const qc__node *na = &prog->nodes[n->a], *nb = &prog->nodes[n->b];
        qc__xvalue r = {0};
        if (n->type == X_DEC) {
            double x = as_dec(na, a), y = as_dec(nb, b);
            r.d = n->op == OP_ADD ? x + y : n->op == OP_SUB ? x - y : n->op == OP_MUL ? x * y : (y != 0 ? x / y : NAN);
            if (!isfinite(r.d)) return missing_value(); /* division by zero: nothing to compare */
        } else {
            /* int64 wrap-around would be undefined: do it unsigned, as the
             * values of real cases never come near it */
            uint64_t x = (uint64_t)a.i, y = (uint64_t)b.i;
            r.i = (int64_t)(n->op == OP_ADD ? x + y : n->op == OP_SUB ? x - y : x * y);
        }
        return r;
    }
    case OP_EQ: case OP_NE: case OP_LT: case OP_LE: case OP_GT: case OP_GE: {
        a = operand(ctx, n->a);
        b = operand(ctx, n->b);
        bool r = false;
        if (!a.missing && !b.missing) {
            int c3 = compare(prog, &prog->nodes[n->a], a, &prog->nodes[n->b], b);
            switch ((qc__op)n->op) {
            case OP_EQ: r = c3 == 0; break;
            case OP_NE: r = c3 != 0; break;
            case OP_LT: r = c3 < 0; break;
            case OP_LE: r = c3 <= 0; break;
            case OP_GT: r = c3 > 0; break;
            default: r = c3 >= 0; break;
            }
        }
        if (ctx->explain) ctx->note(ctx->explain, ctx, node, a, b, r);
        return bool_value(r);
    }
    case OP_IN: {
        a = operand(ctx, n->a);
        bool r = false;
        const qc__node *na = &prog->nodes[n->a];
        for (int i = 0; !a.missing && !r && i < n->c; i++) {
            qc__xvalue item = prog->list_items[n->b + i];
            if (na->type == X_STR) r = !strcmp(a.s, item.s);
            else if (na->type == X_DEC) r = a.d == item.d;
            else r = a.i == item.i;
        }
        if (ctx->explain) ctx->note(ctx->explain, ctx, node, a, (qc__xvalue){0}, r);
        return bool_value(r);
    }
    case OP_BETWEEN: {
        a = operand(ctx, n->a);
        b = operand(ctx, n->b);
        c = operand(ctx, n->c);
        const qc__node *na = &prog->nodes[n->a];
        bool r = !a.missing && !b.missing && !c.missing && compare(prog, na, a, &prog->nodes[n->b], b) >= 0 &&
                 compare(prog, na, a, &prog->nodes[n->c], c) <= 0;
        if (ctx->explain) ctx->note(ctx->explain, ctx, node, a, b, r);
        return bool_value(r);
    }
    case OP_DAYS: case OP_MONTHS: case OP_YEARS: {
        a = qc__expr_eval(ctx, n->a);
        b = qc__expr_eval(ctx, n->b);
        if (a.missing || b.missing) return missing_value();
        if (n->op == OP_DAYS) return (qc__xvalue){.i = b.i - a.i};
        int64_t m = months_between(a.i, b.i);
        return (qc__xvalue){.i = n->op == OP_MONTHS ? m : m / 12};
    }
    }
    return missing_value();
}

const char *qc__xvalue_text(char *buf, size_t size, const qc__program *prog, const qc__node *n, qc__xvalue v)
{
    if (v.missing) return "missing";
    switch (n->type & ~SYMBOL_FLAG) {
    case X_BOOL: return v.i ? "true" : "false";
    case X_INT: snprintf(buf, size, "%" PRId64, v.i); break;
    case X_DEC: qc__snprintf_c(buf, size, "%.15g", v.d); break;
    case X_DATE: qc_date_format(buf, size, v.i); break;
    case X_STR: snprintf(buf, size, "%s", v.s ? v.s : ""); break;
    case X_ENUM: {
        int slot = n->slot;
        const qc__fact_def *f = &prog->facts[slot];
        snprintf(buf, size, "%s", v.i >= 0 && v.i < f->nvalues ? f->values[v.i] : "?");
        break;
    }
    default: buf[0] = '\0';
    }
    return buf;
}
