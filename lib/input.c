/* SPDX-License-Identifier: MIT
 * input.c - the bytes of an import or rule file, checked on the way in.
 *
 * Every parser reads through a qc__input, from memory or from a regular
 * file, one chunk at a time, so an import of any size holds one chunk in
 * memory.  Each chunk is checked before a parser sees it:
 *   - whole UTF-8 characters (a character cut by the end of a chunk waits
 *     for the next chunk);
 *   - no NUL byte anywhere: it would end a C string early and silently
 *     change what a value says ("P1\0evil" would be stored as "P1");
 *   - for YAML and JSON, no other control character but tab, LF and CR
 *     (libyaml refuses them too, but can name only a byte offset).
 * The input counts lines and columns (characters, as editors and libyaml
 * count them) of what it has checked, so its errors say file:line:col.
 *
 * Files must be regular files: a device (/dev/zero), a FIFO or a
 * directory is refused before a byte is read.
 */
#include "config.h"

#include <errno.h>
#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "internal.h"

void qc__input_memory(qc__input *in, const char *name, const char *data, size_t size, bool yaml)
{
    *in = (qc__input){.name = name, .mem = data, .mem_size = size, .yaml = yaml, .line = 1, .col = 1};
}

/* Open path for reading if it is a regular file; the error names it. */
static int open_regular(const char *path, FILE **out, int64_t *size)
{
    *out = NULL;
    FILE *f = fopen(path, "rb");
    if (!f) return qc__error(errno == ENOMEM ? QC_ENOMEM : QC_EIO, "%s: cannot open: %s", path, strerror(errno));
    struct stat st;
    if (fstat(fileno(f), &st) != 0) {
        int e = errno;
        fclose(f);
        return qc__error(QC_EIO, "%s: cannot read: %s", path, strerror(e));
    }
    if (!S_ISREG(st.st_mode)) {
        fclose(f);
        return qc__error(QC_EIO, "%s: not a regular file (a device, directory or pipe); give a file", path);
    }
    *out = f;
    *size = (int64_t)st.st_size;
    return QC_OK;
}

int qc__input_open(qc__input *in, const char *path, bool yaml)
{
    *in = (qc__input){.name = path, .yaml = yaml, .line = 1, .col = 1};
    return open_regular(path, &in->file, &in->size);
}

void qc__input_close(qc__input *in)
{
    if (in->file) fclose(in->file);
    in->file = NULL;
    if (in->conv) iconv_close((iconv_t)in->conv);
    in->conv = NULL;
}

static bool is_utf8(const char *encoding)
{
    return !encoding || !strcasecmp(encoding, "UTF-8") || !strcasecmp(encoding, "UTF8");
}

bool qc__encoding_known(const char *encoding)
{
    if (is_utf8(encoding)) return true;
    iconv_t cd = iconv_open("UTF-8", encoding);
    if (cd == (iconv_t)-1) return false;
    iconv_close(cd);
    return true;
}

int qc__input_set_encoding(qc__input *in, const char *encoding)
{
    if (is_utf8(encoding)) return QC_OK;
    iconv_t cd = iconv_open("UTF-8", encoding);
    if (cd == (iconv_t)-1)
        return qc__error(QC_EVALUE, "%s: unknown encoding '%s' (UTF-8, GBK, GB18030, ...)", in->name, encoding);
    in->conv = cd;
    in->encoding = encoding;
    return QC_OK;
}

int qc__input_rewind(qc__input *in)
{
    if (in->file && fseek(in->file, 0, SEEK_SET) != 0)
        return qc__error(QC_EIO, "%s: cannot read it again: %s", in->name, strerror(errno));
    in->mem_pos = 0;
    in->ncarry = 0;
    in->nraw = 0;
    if (in->conv) iconv((iconv_t)in->conv, NULL, NULL, NULL, NULL); /* the initial shift state */
    in->eof = false;
    in->failed = 0;
    in->line = in->col = 1;
    in->offset = 0;
    return QC_OK;
}

/* The first len (1 to 3) bytes of a character that the next chunk ends. */
static bool cut_character(const unsigned char *s, size_t len)
{
    size_t want = s[0] >= 0xC2 && s[0] <= 0xDF ? 2 : s[0] >= 0xE0 && s[0] <= 0xEF ? 3 : s[0] >= 0xF0 && s[0] <= 0xF4 ? 4 : 0;
    if (len >= want) return false;
    for (size_t i = 1; i < len; i++)
        if ((s[i] & 0xC0) != 0x80) return false;
    return true;
}

static int input_fail(qc__input *in, int code, const char *what)
{
    snprintf(in->problem, sizeof in->problem, "%s", what);
    in->failed = qc__error(code, "%s:%ld:%ld: %s", in->name, in->line, in->col, what);
    return in->failed;
}

/* Count lines and columns over n checked bytes, stopping at the first
 * byte no text may hold. */
static int scan(qc__input *in, const unsigned char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned c = s[i];
        if (c == '\n') {
            in->line++;
            in->col = 1;
            continue;
        }
        if (c < 0x20 && c != '\t' && c != '\r') {
            char what[160];
            if (c == 0) return input_fail(in, QC_EUTF8, "NUL byte in the file (a binary file, or text saved as UTF-16?)");
            if (in->yaml) {
                snprintf(what, sizeof what, "control character U+%04X is not allowed in YAML or JSON text", c);
                return input_fail(in, QC_ESYNTAX, what);
            }
        }
        in->col += (c & 0xC0) != 0x80;
    }
    return QC_OK;
}

/* Raw bytes of the input, up to cap. */
static int read_raw(qc__input *in, char *buf, size_t cap, size_t *got)
{
    size_t r;
    if (in->file) {
        r = fread(buf, 1, cap, in->file);
        if (r < cap) {
            if (ferror(in->file)) return input_fail(in, QC_EIO, strerror(errno ? errno : EIO));
            in->eof = true;
        }
    } else {
        r = in->mem_size - in->mem_pos < cap ? in->mem_size - in->mem_pos : cap;
        if (r) memcpy(buf, in->mem + in->mem_pos, r);
        in->mem_pos += r;
        in->eof = in->mem_pos == in->mem_size;
    }
    *got = r;
    return QC_OK;
}

/* The next chunk of a file in another encoding, converted to UTF-8 into
 * buf: a character in it takes at most one and a half times its bytes
 * (GBK's two bytes, three in UTF-8; GB18030's four, four), so reading
 * (cap - n) / 2 raw bytes always fits. */
static int read_converted(qc__input *in, char *buf, size_t cap, size_t *got)
{
    char raw[8192 + sizeof in->raw];
    size_t want = cap / 2 < 8192 ? cap / 2 : 8192, r = 0;
    memcpy(raw, in->raw, in->nraw);
    int rc = in->eof ? QC_OK : read_raw(in, raw + in->nraw, want, &r);
    if (rc < 0) return rc;
    size_t left = in->nraw + r, room = cap;
    in->nraw = 0;
    char *from = raw, *to = buf;
    if (iconv((iconv_t)in->conv, &from, &left, &to, &room) == (size_t)-1) {
        int e = errno;
        size_t done = (size_t)(to - buf);
        if (e == EINVAL && !in->eof && left < sizeof in->raw) { /* a character cut by the chunk's end */
            memcpy(in->raw, from, left);
            in->nraw = left;
        } else {
            /* count up to the bad bytes, so that the error says where they are */
            if ((rc = scan(in, (const unsigned char *)buf, done)) < 0) return rc;
            char what[160];
            unsigned char b0 = (unsigned char)from[0], b1 = left > 1 ? (unsigned char)from[1] : 0;
            if (e == EINVAL) snprintf(what, sizeof what, "the file ends inside a %s character (byte 0x%02X)", in->encoding, b0);
            else snprintf(what, sizeof what, "bytes 0x%02X 0x%02X are no %s character; is the file %s?", b0, b1, in->encoding, in->encoding);
            return input_fail(in, QC_EUTF8, what);
        }
    }
    *got = (size_t)(to - buf);
    return QC_OK;
}

int qc__input_read(qc__input *in, char *buf, size_t cap, size_t *got)
{
    *got = 0;
    if (in->failed) return in->failed;
    if (in->conv) {
        size_t n = 0;
        int rc;
        /* a chunk that converts to nothing (a cut character alone) is no end */
        do {
            if ((rc = read_converted(in, buf, cap, &n)) < 0) return rc;
        } while (!n && !in->eof);
        if (!n && in->nraw) return input_fail(in, QC_EUTF8, "the file ends inside a character");
        if ((rc = scan(in, (const unsigned char *)buf, n)) < 0) return rc;
        in->offset += (int64_t)n;
        *got = n;
        return QC_OK;
    }
    size_t n = in->ncarry;
    memcpy(buf, in->carry, n);
    in->ncarry = 0;
    if (!in->eof) {
        size_t r;
        if (in->file) {
            r = fread(buf + n, 1, cap - n, in->file);
            if (r < cap - n) {
                if (ferror(in->file)) return input_fail(in, QC_EIO, strerror(errno ? errno : EIO));
                in->eof = true;
            }
        } else {
            r = in->mem_size - in->mem_pos < cap - n ? in->mem_size - in->mem_pos : cap - n;
            if (r) memcpy(buf + n, in->mem + in->mem_pos, r);
            in->mem_pos += r;
            in->eof = in->mem_pos == in->mem_size;
        }
        n += r;
    }
    size_t valid = qc__utf8_valid_prefix(buf, n);
    int rc = scan(in, (const unsigned char *)buf, valid);
    if (rc < 0) return rc;
    if (valid < n) {
        size_t tail = n - valid;
        if (in->eof || tail >= 4 || !cut_character((const unsigned char *)buf + valid, tail)) {
            char what[160];
            snprintf(what, sizeof what, "invalid UTF-8 (byte 0x%02X); save the file as UTF-8, or import it in its encoding (GBK?)",
                     (unsigned char)buf[valid]);
            return input_fail(in, QC_EUTF8, what);
        }
        memcpy(in->carry, buf + valid, tail);
        in->ncarry = tail;
    }
    in->offset += (int64_t)valid;
    *got = valid;
    return QC_OK;
}

int qc__read_file(const char *path, size_t max, const char *what, char **out, size_t *size)
{
    *out = NULL;
    *size = 0;
    FILE *f;
    int64_t st_size;
    int rc = open_regular(path, &f, &st_size);
    if (rc < 0) return rc;
    if (st_size > (int64_t)max) {
        fclose(f);
        return qc__error(QC_ETOOLONG, "%s: %lld bytes, more than the limit of %zu bytes for %s", path, (long long)st_size,
                         max, what);
    }
    /* read one byte past the limit: the file may have grown since fstat */
    char *buf = malloc((size_t)st_size + 2);
    if (!buf) {
        fclose(f);
        return qc__error(QC_ENOMEM, "%s: out of memory", path);
    }
    size_t n = fread(buf, 1, (size_t)st_size + 1, f);
    int err = ferror(f) ? errno : 0;
    fclose(f);
    if (err || n > (size_t)st_size) {
        free(buf);
        return err ? qc__error(QC_EIO, "%s: read error: %s", path, strerror(err))
                   : qc__error(QC_EIO, "%s: the file changed while it was read", path);
    }
    buf[n] = '\0';
    *out = buf;
    *size = n;
    return QC_OK;
}
