/* SPDX-License-Identifier: MIT
 * evidence.c - the evidence behind a verdict, as a sentence: what the
 * personal-handling rule of the case's business line asks, which of those
 * acts the listed handler recorded, and who else recorded which - in
 * English or Chinese, with the rules' display names where given.
 *
 * The assessment keeps the parts (qc__evidence: kind ids and person ids)
 * and writes the sentence on demand, so one result serves both languages.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "rules_internal.h"

/* snprintf into a buffer that keeps counting past its end. */
typedef struct sink {
    char *buf;
    size_t size, len;
} sink;

static void put(sink *s, const char *fmt, ...) QC__PRINTF(2, 3);
static void put(sink *s, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    size_t room = s->len < s->size ? s->size - s->len : 0;
    int n = vsnprintf(room ? s->buf + s->len : NULL, room, fmt, ap);
    va_end(ap);
    if (n > 0) s->len += (size_t)n;
}

typedef struct tongue {
    bool zh;
    const char *sep; /* between items of a list */
} tongue;

/* A comma-separated list of act kinds, by their display names. */
static void put_kinds(sink *s, const tongue *t, const qc_rules *rules, const char *list)
{
    char id[QC_MAX_ID_BYTES + 1];
    const char *sep = "";
    for (const char *p = list; p && *p;) {
        size_t n = strcspn(p, ",");
        snprintf(id, sizeof id, "%.*s", (int)n, p);
        put(s, "%s%s", sep, qc_rules_display_name(rules, "act", id, t->zh ? "zh" : "en"));
        sep = t->sep;
        p += n + (p[n] == ',');
    }
}

/* "P3=a,b;P4=c": each person with the acts they recorded. */
static void put_others(sink *s, const tongue *t, const qc_rules *rules, const char *others)
{
    char kinds[1024];
    const char *sep = "";
    for (const char *p = others; p && *p;) {
        size_t n = strcspn(p, ";"), eq = strcspn(p, "=");
        if (eq > n) eq = n;
        snprintf(kinds, sizeof kinds, "%.*s", (int)(n - eq - (eq < n)), p + eq + (eq < n));
        put(s, "%s%.*s%s", sep, (int)eq, p, t->zh ? "（" : " (");
        put_kinds(s, t, rules, kinds);
        put(s, "%s", t->zh ? "）" : ")");
        sep = t->sep;
        p += n + (p[n] == ';');
    }
}

/* What the rule asks: "all of a, b and one of c, d". */
static void put_requirement(sink *s, const tongue *t, const qc_rules *rules, const qc__evidence *e)
{
    bool all = e->all_of && *e->all_of, any = e->any_of && *e->any_of;
    if (!all && !any) {
        put(s, "%s", t->zh ? "任一办案活动" : "any act");
        return;
    }
    if (all) {
        put(s, "%s", t->zh ? "须全部：" : "all of ");
        put_kinds(s, t, rules, e->all_of);
    }
    if (any) {
        put(s, "%s", all ? (t->zh ? "，且至少其一：" : " and one of ") : (t->zh ? "至少其一：" : "one of "));
        put_kinds(s, t, rules, e->any_of);
    }
}

static void put_list_or_none(sink *s, const tongue *t, const qc_rules *rules, const char *list, bool people)
{
    if (!list || !*list) put(s, "%s", t->zh ? "无" : "none");
    else if (people) put_others(s, t, rules, list);
    else put_kinds(s, t, rules, list);
}

int qc__evidence_write(char *buf, size_t size, const qc__evidence *e, const qc_rules *rules, const char *lang)
{
    sink s = {buf, size, 0};
    if (buf && size) buf[0] = '\0';
    tongue t = {.zh = lang && !strcmp(lang, "zh")};
    t.sep = t.zh ? "、" : ", ";
    const char *line = qc_rules_display_name(rules, "line", e->line ? e->line : "", t.zh ? "zh" : "en");
    if (!strcmp(e->verdict, "personal")) {
        put(&s, "%s", t.zh ? "亲自办案：本人的办案活动（" : "personal: own acts (");
        put_list_or_none(&s, &t, rules, e->own, false);
        put(&s, t.zh ? "）满足「%s」的亲自办案要求（" : ") meet the %s requirement (", line);
        put_requirement(&s, &t, rules, e);
        put(&s, "%s", t.zh ? "）" : ")");
    } else if (!strcmp(e->verdict, "name_only")) {
        put(&s, "%s", t.zh ? "疑似挂名办案：本人的办案活动（" : "name-only suspected: own acts (");
        put_list_or_none(&s, &t, rules, e->own, false);
        put(&s, t.zh ? "）不满足「%s」的亲自办案要求（" : ") do not meet the %s requirement (", line);
        put_requirement(&s, &t, rules, e);
        put(&s, "%s", t.zh ? "），他人的办案活动满足：" : "); others' acts on the case do: ");
        put_list_or_none(&s, &t, rules, e->others, true);
    } else {
        put(&s, t.zh ? "记录不足：案件记录的办案活动不满足「%s」的亲自办案要求（" : "record insufficient: the acts on the case do not meet the %s requirement (", line);
        put_requirement(&s, &t, rules, e);
        put(&s, "%s", t.zh ? "）；本人：" : "); own: ");
        put_list_or_none(&s, &t, rules, e->own, false);
        put(&s, "%s", t.zh ? "；他人：" : "; others: ");
        put_list_or_none(&s, &t, rules, e->others, true);
    }
    /* cut short: a cut inside a UTF-8 sequence would leave a broken
     * character, so end before the sequence */
    if (buf && size && s.len >= size) {
        size_t end = size - 1, lead = end;
        while (lead > 0 && ((unsigned char)buf[lead - 1] & 0xC0) == 0x80) lead--;
        if (lead > 0) {
            unsigned char c = (unsigned char)buf[lead - 1];
            size_t need = c < 0x80 ? 1 : c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
            if (lead - 1 + need > end) buf[lead - 1] = '\0';
        }
    }
    return s.len > (size_t)INT32_MAX ? INT32_MAX : (int)s.len;
}
