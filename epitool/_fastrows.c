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
 *
 * This file: the module, and the row helpers both loops use (declared in _fastrows.h). The
 * loops are in _fastrows_roster.c and _fastrows_checkpoints.c; the CSV reader in
 * _numbered.c; a roster's households in _households.c.
 */
#include "_fastrows.h"

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
PyObject *
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

/* The cell at index `at` (a Python int or None), or "" when the column is absent. */
PyObject *
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
int
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

int
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

PyObject *
or_none(PyObject *text)
{
    PyObject *value = PyUnicode_GET_LENGTH(text) ? text : Py_None;
    Py_INCREF(value);
    return value;
}

/* The first object seen with this text, as a new reference: places repeat on every other
 * row, and one object pickles once and is encoded to UTF-8 once when SQLite binds it. At most
 * SHARED_TEXTS distinct texts are kept. NULL on error. */
PyObject *
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
PyObject *
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
int
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

int
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
int
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

PyMODINIT_FUNC
PyInit__epitool_fastrows(void)
{
    str_lower = PyUnicode_InternFromString("lower");
    str_upper = PyUnicode_InternFromString("upper");
    if (!str_lower || !str_upper || PyType_Ready(&NumberedType) < 0
        || PyType_Ready(&LineSourceType) < 0 || PyType_Ready(&UidsType) < 0)
        return NULL;
    PyObject *created = PyModule_Create(&module);
    if (created == NULL)
        return NULL;
    if (PyModule_AddObjectRef(created, "numbered", (PyObject *)&NumberedType) < 0
        || PyModule_AddObjectRef(created, "LineSource", (PyObject *)&LineSourceType) < 0
        || PyModule_AddObjectRef(created, "Uids", (PyObject *)&UidsType) < 0) {
        Py_DECREF(created);
        return NULL;
    }
    return created;
}
