/* The hot loops of the roster and checkpoint imports, in C.
 *
 * Why hand-written: a million-row import spends most of its time in per-row checks that no
 * library offers as one call (a clean row, a GB 11643 check digit, a mobile number, the
 * first sight of a person), and in Python each row costs several microseconds of
 * interpreter work. Here the same checks take a fraction of that.
 *
 * Each function accepts only the rows the Python fast path (core/roster_fast.py,
 * core/checkpoint_rows.py) accepts, with the same results; it stops at the first row it is
 * not sure about and hands it back, so that Python's reference check decides it, in file
 * order. Property tests hold this module, the Python fast path and the reference to the same
 * answers. When this module is not built (no compiler), the Python fast path runs instead.
 *
 * It installs as the top-level module _epitool_fastrows (as PyYAML's _yaml does), not inside
 * the package: tests import the package from the checkout, and a module built into the
 * installed package would not be found from there.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <string.h>

/* Han ideographs: no case, no decomposition, not combining. A text of printable ones and
 * ASCII is NFKC-normal and unchanged by lower() and upper(); a test checks every one of
 * them. Other non-ASCII characters are asked of Python's unicodedata. */
static int
is_plain_han(Py_UCS4 ch)
{
    return (ch >= 0x4E00 && ch <= 0x9FFF) || (ch >= 0x3400 && ch <= 0x4DBF)
           || (ch >= 0x20000 && ch <= 0x2A6DF);
}

/* 1: every cell is clean as it is (no leading, trailing or double spaces, no quote, only
 * printable characters, nothing a "|" join would blur), and the row is NFKC-normal.
 * 0: not sure. -1: error. Mirrors normalize.clean_as_is on the joined line. */
static int
row_is_clean(PyObject *cells, PyObject *is_normalized, PyObject *nfkc)
{
    Py_ssize_t n = PyList_GET_SIZE(cells);
    int non_ascii = 0;  /* other than plain Han */
    for (Py_ssize_t c = 0; c < n; c++) {
        PyObject *cell = PyList_GET_ITEM(cells, c);
        if (!PyUnicode_CheckExact(cell))
            return 0;
        Py_ssize_t len = PyUnicode_GET_LENGTH(cell);
        if (len == 0)
            continue;
        int kind = PyUnicode_KIND(cell);
        const void *data = PyUnicode_DATA(cell);
        if (PyUnicode_READ(kind, data, 0) == ' ' || PyUnicode_READ(kind, data, len - 1) == ' ')
            return 0;
        Py_UCS4 prev = 0;
        for (Py_ssize_t i = 0; i < len; i++) {
            Py_UCS4 ch = PyUnicode_READ(kind, data, i);
            if (ch < 128) {
                if (ch < 0x20 || ch == 0x7f || ch == '\'')
                    return 0;
                if (ch == ' ' && (prev == ' ' || prev == '|'))
                    return 0;
                if (ch == '|' && prev == ' ')
                    return 0;
            }
            else {
                if (!Py_UNICODE_ISPRINTABLE(ch))
                    return 0;
                non_ascii |= !is_plain_han(ch);
            }
            prev = ch;
        }
    }
    if (!non_ascii)
        return 1;
    PyObject *sep = PyUnicode_FromOrdinal('|');
    if (sep == NULL)
        return -1;
    PyObject *line = PyUnicode_Join(sep, cells);
    Py_DECREF(sep);
    if (line == NULL)
        return -1;
    PyObject *normal = PyObject_CallFunctionObjArgs(is_normalized, nfkc, line, NULL);
    Py_DECREF(line);
    if (normal == NULL)
        return -1;
    int result = PyObject_IsTrue(normal);
    Py_DECREF(normal);
    return result;
}

static PyObject *str_lower, *str_upper;

/* text.lower() (lower=1) or text.upper() as a new reference; text itself, without a call,
 * when it is ASCII without letters of the other case and plain Han. */
static PyObject *
cased(PyObject *text, int lower)
{
    Py_ssize_t len = PyUnicode_GET_LENGTH(text);
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    for (Py_ssize_t i = 0; i < len; i++) {
        Py_UCS4 ch = PyUnicode_READ(kind, data, i);
        int changes = ch < 128 ? (lower ? ch >= 'A' && ch <= 'Z' : ch >= 'a' && ch <= 'z')
                               : !is_plain_han(ch);
        if (changes)
            return PyObject_CallMethodNoArgs(text, lower ? str_lower : str_upper);
    }
    Py_INCREF(text);
    return text;
}

/* MurmurHash3_x64_128 (Austin Appleby, public domain): the same 16 bytes for the same text.
 * A million registrations are told apart by it; blake2b from Python cost a third of the
 * whole loop. Keys live for one import only, so the byte order of the machine is harmless. */
static uint64_t
rotl64(uint64_t x, int r)
{
    return (x << r) | (x >> (64 - r));
}

static uint64_t
fmix64(uint64_t k)
{
    k ^= k >> 33;
    k *= 0xff51afd7ed558ccdULL;
    k ^= k >> 33;
    k *= 0xc4ceb9fe1a85ec53ULL;
    k ^= k >> 33;
    return k;
}

static void
murmur3_128(const unsigned char *data, Py_ssize_t len, unsigned char out[16])
{
    const uint64_t c1 = 0x87c37b91114253d5ULL, c2 = 0x4cf5ad432745937fULL;
    uint64_t h1 = 0, h2 = 0, k1, k2;
    Py_ssize_t nblocks = len / 16;
    for (Py_ssize_t i = 0; i < nblocks; i++) {
        memcpy(&k1, data + i * 16, 8);
        memcpy(&k2, data + i * 16 + 8, 8);
        k1 *= c1; k1 = rotl64(k1, 31); k1 *= c2; h1 ^= k1;
        h1 = rotl64(h1, 27); h1 += h2; h1 = h1 * 5 + 0x52dce729;
        k2 *= c2; k2 = rotl64(k2, 33); k2 *= c1; h2 ^= k2;
        h2 = rotl64(h2, 31); h2 += h1; h2 = h2 * 5 + 0x38495ab5;
    }
    const unsigned char *tail = data + nblocks * 16;
    Py_ssize_t rest = len & 15;
    k1 = k2 = 0;
    for (Py_ssize_t i = rest - 1; i >= 8; i--)
        k2 ^= (uint64_t)tail[i] << ((i - 8) * 8);
    if (rest > 8) {
        k2 *= c2; k2 = rotl64(k2, 33); k2 *= c1; h2 ^= k2;
    }
    for (Py_ssize_t i = (rest < 8 ? rest : 8) - 1; i >= 0; i--)
        k1 ^= (uint64_t)tail[i] << (i * 8);
    if (rest > 0) {
        k1 *= c1; k1 = rotl64(k1, 31); k1 *= c2; h1 ^= k1;
    }
    h1 ^= (uint64_t)len;
    h2 ^= (uint64_t)len;
    h1 += h2;
    h2 += h1;
    h1 = fmix64(h1);
    h2 = fmix64(h2);
    h1 += h2;
    h2 += h1;
    memcpy(out, &h1, 8);
    memcpy(out + 8, &h2, 8);
}

/* key(data: bytes) -> 16 bytes: core.checkpoint_rows.key_of when this module is built. */
static PyObject *
key(PyObject *self, PyObject *arg)
{
    char *data;
    Py_ssize_t len;
    unsigned char out[16];
    if (PyBytes_AsStringAndSize(arg, &data, &len) < 0)
        return NULL;
    murmur3_128((const unsigned char *)data, len, out);
    return PyBytes_FromStringAndSize((const char *)out, 16);
}

/* core.checkpoint_rows.passage_key: key() of the four texts' UTF-8 joined by U+001F. */
static PyObject *
passage_key(PyObject **parts)
{
    const char *utf8[4];
    Py_ssize_t lens[4], total = 3;
    for (int i = 0; i < 4; i++) {
        utf8[i] = PyUnicode_AsUTF8AndSize(parts[i], &lens[i]);
        if (utf8[i] == NULL)
            return NULL;
        total += lens[i];
    }
    unsigned char stack[512], out[16];
    unsigned char *buffer = total <= (Py_ssize_t)sizeof(stack) ? stack : PyMem_Malloc(total);
    if (buffer == NULL)
        return PyErr_NoMemory();
    unsigned char *at = buffer;
    for (int i = 0; i < 4; i++) {
        memcpy(at, utf8[i], lens[i]);
        at += lens[i];
        if (i < 3)
            *at++ = 0x1f;
    }
    murmur3_128(buffer, total, out);
    if (buffer != stack)
        PyMem_Free(buffer);
    return PyBytes_FromStringAndSize((const char *)out, 16);
}

/* The cell at index `at` (a Python int or None), or "" when the column is absent. */
static PyObject *
cell_at(PyObject *cells, Py_ssize_t at, PyObject *empty)
{
    return at < 0 ? empty : PyList_GET_ITEM(cells, at);
}

static int
is_ascii_digits(PyObject *s, Py_ssize_t start, Py_ssize_t stop)
{
    if (PyUnicode_KIND(s) != PyUnicode_1BYTE_KIND)
        return 0;
    const Py_UCS1 *data = PyUnicode_1BYTE_DATA(s);
    for (Py_ssize_t i = start; i < stop; i++)
        if (data[i] < '0' || data[i] > '9')
            return 0;
    return 1;
}

/* Whether 8 ASCII digits are a calendar date (YYYYMMDD) from `first` to `last`, which
 * bound identity._birth_dates(), every day between them: the Python paths' set, by
 * arithmetic instead of a look-up that missed the CPU cache on every row. */
static int
is_birth_date(const Py_UCS1 *d, long first, long last)
{
    static const int days_in[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    long year = 0, month = 0, day = 0;
    for (int i = 0; i < 4; i++)
        year = year * 10 + (d[i] - '0');
    month = (d[4] - '0') * 10 + (d[5] - '0');
    day = (d[6] - '0') * 10 + (d[7] - '0');
    long value = year * 10000 + month * 100 + day;
    if (value < first || value > last || month < 1 || month > 12 || day < 1)
        return 0;
    int leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    return day <= days_in[month - 1] + (month == 2 && leap);
}

/* The 17 digits' value and the expected check character, for an 18-character ID whose body
 * is ASCII digits and whose birth date is in `birth` (first, last as YYYYMMDD). 1 when the
 * check digit holds, 0 when the row is not for the fast path. */
static int
id_checks(PyObject *idn, const long birth[2], long long *body, int *check)
{
    static const char CHECK[] = "0123456789X";
    if (PyUnicode_GET_LENGTH(idn) != 18 || !is_ascii_digits(idn, 0, 17)
        || !is_birth_date(PyUnicode_1BYTE_DATA(idn) + 6, birth[0], birth[1]))
        return 0;
    const Py_UCS1 *d = PyUnicode_1BYTE_DATA(idn);
    long long value = 0;
    int mod = 0;  /* the body read in base 13, mod 11: GB 11643's weights 2**(17-i) mod 11 */
    for (int i = 0; i < 17; i++) {
        value = value * 10 + (d[i] - '0');
        mod = (mod * 13 + (d[i] - '0')) % 11;
    }
    *body = value;
    *check = ((1 - 2 * mod) % 11 + 11) % 11;
    return (Py_UCS1)CHECK[*check] == d[17];
}

static int
mobile_ok(PyObject *phone)
{
    Py_ssize_t len = PyUnicode_GET_LENGTH(phone);
    if (len == 0)
        return 1;
    if (len != 11 || !is_ascii_digits(phone, 0, 11))
        return 0;
    const Py_UCS1 *d = PyUnicode_1BYTE_DATA(phone);
    return d[0] == '1' && d[1] >= '3' && d[1] <= '9';
}

static PyObject *
or_none(PyObject *text)
{
    PyObject *value = PyUnicode_GET_LENGTH(text) ? text : Py_None;
    Py_INCREF(value);
    return value;
}

/* The first object seen with this text, as a new reference: places repeat on every other
 * row, and one object pickles once and is encoded to UTF-8 once when SQLite binds it. At most
 * SHARED_TEXTS distinct texts are kept. NULL on error. */
#define SHARED_TEXTS 4096
static PyObject *
shared(PyObject *texts, PyObject *text)
{
    PyObject *first = PyDict_GetItemWithError(texts, text);
    if (first == NULL && !PyErr_Occurred()) {
        if (PyDict_GET_SIZE(texts) >= SHARED_TEXTS)
            first = text;
        else if (PyDict_SetItem(texts, text, text) < 0)
            return NULL;
        else
            first = text;
    }
    return first ? Py_NewRef(first) : NULL;
}

/* `text`, or the previous row's object when it has the same text (members of a household
 * are listed together and share its number and address), as a new reference; `last`
 * then names it. Same purpose as shared(), for texts too many to keep. */
static PyObject *
as_before(PyObject **last, PyObject *text)
{
    PyObject *before = *last;
    if (before != NULL && PyUnicode_GET_LENGTH(before) == PyUnicode_GET_LENGTH(text)
        && PyUnicode_KIND(before) == PyUnicode_KIND(text)
        && memcmp(PyUnicode_DATA(before), PyUnicode_DATA(text),
                  PyUnicode_GET_LENGTH(text) * PyUnicode_KIND(text)) == 0)
        text = before;
    *last = text;
    return Py_NewRef(text);
}

/* Appends `n` new references to `flat`, stealing them; -1 if any is NULL or append fails. */
static int
append_stolen(PyObject *flat, PyObject **values, int n)
{
    int failed = 0;
    for (int i = 0; i < n; i++) {
        if (values[i] == NULL || (!failed && PyList_Append(flat, values[i]) < 0))
            failed = 1;
        Py_XDECREF(values[i]);
    }
    return failed ? -1 : 0;
}

static int
read_indexes(PyObject *spec, Py_ssize_t *out, Py_ssize_t count)
{
    if (!PyTuple_Check(spec) || PyTuple_GET_SIZE(spec) != count) {
        PyErr_SetString(PyExc_ValueError, "column spec of the wrong size");
        return -1;
    }
    for (Py_ssize_t i = 0; i < count; i++) {
        PyObject *item = PyTuple_GET_ITEM(spec, i);
        out[i] = item == Py_None ? -1 : PyLong_AsSsize_t(item);
        if (out[i] == -1 && PyErr_Occurred())
            return -1;
    }
    return 0;
}

/* Next (number, cells) from the rows iterator: 1, or 0 at the end, -1 on error. */
static int
next_row(PyObject *rows, PyObject **row, PyObject **number, PyObject **cells)
{
    *row = PyIter_Next(rows);
    if (*row == NULL)
        return PyErr_Occurred() ? -1 : 0;
    if (!PyTuple_Check(*row) || PyTuple_GET_SIZE(*row) != 2) {
        Py_DECREF(*row);
        PyErr_SetString(PyExc_TypeError, "rows must yield (number, cells)");
        return -1;
    }
    *number = PyTuple_GET_ITEM(*row, 0);
    *cells = PyTuple_GET_ITEM(*row, 1);
    return 1;
}

/* next_row, and whether the row may take the fast path: 1 with *fast set (1: clean, 0: not
 * sure), 0 at the end, -1 on error (the row released). */
static int
next_clean_row(PyObject *rows, Py_ssize_t width, PyObject *is_norm, PyObject *nfkc,
               PyObject **row, PyObject **number, PyObject **cells, int *fast)
{
    int got = next_row(rows, row, number, cells);
    if (got <= 0)
        return got;
    *fast = PyList_Check(*cells) && PyList_GET_SIZE(*cells) >= width;
    if (*fast)
        *fast = row_is_clean(*cells, is_norm, nfkc);
    if (*fast < 0) {
        Py_DECREF(*row);
        return -1;
    }
    return 1;
}

enum { R_NAME, R_SEX, R_ID, R_PHONE, R_HH, R_REL, R_GROUP, R_ADDR, R_WIDTH, R_COUNT };

/* roster(rows, limit, spec, sexes, birth, first_seen, uids, flat, is_normalized, nfkc,
 *        texts) -> (consumed, slow_row or None). Consumes up to `limit` rows; stops early
 * at a row for the reference check (returned, and counted as consumed) or at the end of
 * the rows. */
static PyObject *
roster(PyObject *self, PyObject *args)
{
    PyObject *rows, *spec, *sexes, *first_seen, *uids, *flat, *is_norm, *nfkc, *texts;
    PyObject *last_household = NULL, *last_address = NULL; /* borrowed: `flat` holds them */
    Py_ssize_t limit, ix[R_COUNT], consumed = 0;
    long birth[2];
    if (!PyArg_ParseTuple(args, "OnO!O!(ll)O!OO!OOO!", &rows, &limit, &PyTuple_Type, &spec,
                          &PyDict_Type, &sexes, &birth[0], &birth[1], &PyDict_Type,
                          &first_seen, &uids, &PyList_Type, &flat, &is_norm, &nfkc,
                          &PyDict_Type, &texts))
        return NULL;
    if (read_indexes(spec, ix, R_COUNT) < 0)
        return NULL;
    PyObject *male = PyUnicode_FromString("M"), *female = PyUnicode_FromString("F");
    if (male == NULL || female == NULL)
        goto error;
    while (consumed < limit) {
        PyObject *row, *number, *cells;
        int fast;
        int got = next_clean_row(rows, ix[R_WIDTH], is_norm, nfkc, &row, &number, &cells, &fast);
        if (got <= 0) {
            if (got < 0)
                goto error;
            break;
        }
        consumed++;
        PyObject *idn = NULL, *phone = NULL, *name = NULL, *household = NULL, *sex = NULL;
        long long body = 0;
        int check = 0;
        if (fast > 0) {
            name = PyList_GET_ITEM(cells, ix[R_NAME]);
            household = PyList_GET_ITEM(cells, ix[R_HH]);
            idn = PyList_GET_ITEM(cells, ix[R_ID]);
            phone = PyList_GET_ITEM(cells, ix[R_PHONE]);
            sex = PyDict_GetItemWithError(sexes, PyList_GET_ITEM(cells, ix[R_SEX]));
            fast = sex != NULL && PyUnicode_GET_LENGTH(name) && PyUnicode_GET_LENGTH(household)
                   && mobile_ok(phone);
            if (fast)
                fast = id_checks(idn, birth, &body, &check);
        }
        PyObject *id_sex = NULL;
        if (fast > 0) {
            id_sex = (PyUnicode_1BYTE_DATA(idn)[16] - '0') % 2 ? male : female;
            fast = PyUnicode_GET_LENGTH(sex) == 0 || PyUnicode_Compare(sex, id_sex) == 0;
        }
        if (fast > 0) {
            PyObject *key = PyLong_FromLongLong(body * 16 + check);
            PyObject *first = key ? PyDict_SetDefault(first_seen, key, number) : NULL;
            Py_XDECREF(key);
            fast = first == NULL ? -1 : PyObject_RichCompareBool(first, number, Py_EQ);
        }
        if (fast < 0 || PyErr_Occurred()) {
            Py_DECREF(row);
            goto error;
        }
        if (!fast) {
            Py_DECREF(male);
            Py_DECREF(female);
            return Py_BuildValue("nN", consumed, row);
        }
        Py_INCREF(id_sex);
        Py_INCREF(name);
        Py_INCREF(idn);
        PyObject *relation = PyList_GET_ITEM(cells, ix[R_REL]);
        PyObject *group = PyList_GET_ITEM(cells, ix[R_GROUP]);
        PyObject *address = PyList_GET_ITEM(cells, ix[R_ADDR]);
        PyObject *values[9] = {
            PyIter_Next(uids), name, id_sex, idn, or_none(phone),
            as_before(&last_household, household),
            PyUnicode_GET_LENGTH(relation) ? shared(texts, relation) : or_none(relation),
            PyUnicode_GET_LENGTH(group) ? shared(texts, group) : or_none(group),
            PyUnicode_GET_LENGTH(address) ? as_before(&last_address, address)
                                          : or_none(address)};
        Py_DECREF(row);
        if (append_stolen(flat, values, 9) < 0)
            goto error;
    }
    Py_DECREF(male);
    Py_DECREF(female);
    return Py_BuildValue("nO", consumed, Py_None);
error:
    Py_XDECREF(male);
    Py_XDECREF(female);
    return NULL;
}

enum { C_POINT, C_NAME, C_ID, C_PHONE, C_PLATE, C_FROM, C_TO, C_DATE, C_TEMP, C_BACK, C_REASON,
       C_DIR, C_WIDTH, C_COUNT };

/* checkpoints(rows, limit, spec, points, default, moments, temps, directions, no, yes,
 *             dates, seen, plate_match, threshold, uids, flat, is_normalized, nfkc, texts)
 * -> (consumed, plate_warnings, fevers, slow_row or None). Like roster() above. */
static PyObject *
checkpoints(PyObject *self, PyObject *args)
{
    PyObject *rows, *spec, *points, *deflt, *moments, *temps, *directions, *no, *yes,
             *seen, *plate_match, *uids, *flat, *is_norm, *nfkc, *texts;
    Py_ssize_t limit, ix[C_COUNT], consumed = 0, warnings = 0, fevers = 0;
    double threshold;
    long birth[2];
    if (!PyArg_ParseTuple(args, "OnO!O!UO!O!O!OO(ll)O!OdOO!OOO!", &rows, &limit,
                          &PyTuple_Type, &spec, &PyDict_Type, &points, &deflt, &PyDict_Type,
                          &moments, &PyDict_Type, &temps, &PyDict_Type, &directions, &no, &yes,
                          &birth[0], &birth[1], &PySet_Type, &seen, &plate_match, &threshold, &uids,
                          &PyList_Type, &flat, &is_norm, &nfkc, &PyDict_Type, &texts))
        return NULL;
    if (read_indexes(spec, ix, C_COUNT) < 0)
        return NULL;
    PyObject *empty = PyUnicode_FromString(""), *in = PyUnicode_FromString("in");
    PyObject *zero = PyLong_FromLong(0), *one = PyLong_FromLong(1);
    if (!empty || !in || !zero || !one)
        goto error;
    while (consumed < limit) {
        PyObject *row, *number, *cells;
        int fast;
        int got = next_clean_row(rows, ix[C_WIDTH], is_norm, nfkc, &row, &number, &cells, &fast);
        if (got <= 0) {
            if (got < 0)
                goto error;
            break;
        }
        consumed++;
        PyObject *point = NULL, *name = NULL, *at = NULL, *idn = NULL, *phone = NULL,
                 *plate = NULL, *direction = NULL, *temp = NULL, *key = NULL;
        if (fast > 0) {
            PyObject *named = cell_at(cells, ix[C_POINT], empty);
            point = PyDict_GetItemWithError(points, PyUnicode_GET_LENGTH(named) ? named : deflt);
            name = PyList_GET_ITEM(cells, ix[C_NAME]);
            at = PyDict_GetItemWithError(moments, PyList_GET_ITEM(cells, ix[C_DATE]));
            idn = cell_at(cells, ix[C_ID], empty);
            phone = cell_at(cells, ix[C_PHONE], empty);
            plate = cell_at(cells, ix[C_PLATE], empty);
            temp = PyDict_GetItemWithError(temps, cell_at(cells, ix[C_TEMP], empty));
            fast = point && PyObject_IsTrue(point) == 1 && PyUnicode_GET_LENGTH(name) && at
                   && PyObject_IsTrue(at) == 1 && temp && mobile_ok(phone);
        }
        if (fast > 0) {
            direction = in;
            if (ix[C_DIR] >= 0) {
                PyObject *lower = cased(PyList_GET_ITEM(cells, ix[C_DIR]), 1);
                direction = lower ? PyDict_GetItemWithError(directions, lower) : NULL;
                Py_XDECREF(lower);
                fast = direction != NULL;
            }
        }
        PyObject *reason = empty;  /* reference_row's turned-back rules, for a clean row */
        int turned = 0;
        if (fast > 0 && ix[C_BACK] >= 0) {
            PyObject *flag = PyList_GET_ITEM(cells, ix[C_BACK]);
            PyObject *lower = cased(flag, 1);
            fast = lower ? PySet_Contains(no, lower) : -1;
            if (fast == 0 && lower == flag) {  /* not "no", and lower() left it as it is */
                int said_yes = PySet_Contains(yes, flag);
                reason = said_yes > 0 ? cell_at(cells, ix[C_REASON], empty) : flag;
                fast = said_yes < 0 ? -1 : PyUnicode_GET_LENGTH(reason) > 0;
                turned = 1;
            }
            Py_XDECREF(lower);
        }
        if (fast > 0 && PyUnicode_GET_LENGTH(idn)) {
            long long body;
            int check;
            fast = id_checks(idn, birth, &body, &check);
        }
        if (fast > 0 && PyUnicode_GET_LENGTH(plate)) {
            PyObject *upper = cased(plate, 0);
            fast = upper == NULL ? -1
                   : PyUnicode_FindChar(plate, ' ', 0, PyUnicode_GET_LENGTH(plate), 1) == -1
                     && PyUnicode_Compare(plate, upper) == 0;
            Py_XDECREF(upper);
        }
        if (fast > 0) {
            /* core.checkpoint_rows.passage_key, the same bytes hashed the same way */
            PyObject *parts[4] = {point, at, name, idn};
            key = passage_key(parts);
            fast = key == NULL ? -1 : !PySet_Contains(seen, key);
            if (fast > 0 && PySet_Add(seen, key) < 0)
                fast = -1;
            Py_XDECREF(key);
        }
        if (fast < 0 || PyErr_Occurred()) {
            Py_DECREF(row);
            goto error;
        }
        if (!fast) {
            Py_DECREF(empty); Py_DECREF(in); Py_DECREF(zero); Py_DECREF(one);
            return Py_BuildValue("nnnN", consumed, warnings, fevers, row);
        }
        PyObject *plate_ok = zero;  /* stored as NULL with an empty plate */
        if (PyUnicode_GET_LENGTH(plate)) {
            PyObject *match = PyObject_CallOneArg(plate_match, plate);
            if (match == NULL) {
                Py_DECREF(row);
                goto error;
            }
            plate_ok = match == Py_None ? zero : one;
            warnings += match == Py_None;
            Py_DECREF(match);
        }
        int fever = temp != Py_None && PyFloat_AsDouble(temp) >= threshold;
        fevers += fever;
        PyObject *values[15] = {
            PyIter_Next(uids), Py_NewRef(point), Py_NewRef(at), Py_NewRef(direction),
            Py_NewRef(name), Py_NewRef(idn), Py_NewRef(phone), Py_NewRef(plate),
            Py_NewRef(plate_ok), shared(texts, cell_at(cells, ix[C_FROM], empty)),
            shared(texts, cell_at(cells, ix[C_TO], empty)), Py_NewRef(temp),
            PyLong_FromLong(fever), Py_NewRef(turned ? one : zero), Py_NewRef(reason)};
        Py_DECREF(row);
        if (append_stolen(flat, values, 15) < 0)
            goto error;
    }
    Py_DECREF(empty); Py_DECREF(in); Py_DECREF(zero); Py_DECREF(one);
    return Py_BuildValue("nnnO", consumed, warnings, fevers, Py_None);
error:
    Py_XDECREF(empty); Py_XDECREF(in); Py_XDECREF(zero); Py_XDECREF(one);
    return NULL;
}

PyObject *households(PyObject *self, PyObject *args); /* _households.c */

static PyMethodDef methods[] = {
    {"roster", roster, METH_VARARGS, "Accept clean roster rows; see roster_fast.py."},
    {"key", key, METH_O, "16 bytes that tell texts apart (MurmurHash3 x64 128)."},
    {"checkpoints", checkpoints, METH_VARARGS,
     "Accept clean checkpoint rows; see checkpoint_rows.py."},
    {"households", households, METH_VARARGS,
     "The households a batch names first; see roster_households.py."},
    {NULL, NULL, 0, NULL}};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_epitool_fastrows",
                                    "The import hot loops in C.", -1, methods};

extern PyTypeObject NumberedType, LineSourceType; /* _numbered.c */

PyMODINIT_FUNC
PyInit__epitool_fastrows(void)
{
    str_lower = PyUnicode_InternFromString("lower");
    str_upper = PyUnicode_InternFromString("upper");
    if (!str_lower || !str_upper || PyType_Ready(&NumberedType) < 0
        || PyType_Ready(&LineSourceType) < 0)
        return NULL;
    PyObject *created = PyModule_Create(&module);
    if (created == NULL)
        return NULL;
    if (PyModule_AddObjectRef(created, "numbered", (PyObject *)&NumberedType) < 0
        || PyModule_AddObjectRef(created, "LineSource", (PyObject *)&LineSourceType) < 0) {
        Py_DECREF(created);
        return NULL;
    }
    return created;
}
