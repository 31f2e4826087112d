/* Uids(head, start): head + "{:012x}".format(start + n) for n = 1, 2, ... : the ids of one
 * bulk write (core/uid.py, uid_sequence), for the module built from _fastrows.c.
 *
 * Why in C: an import takes one id per row, a million per file. Python's
 * map(head.__add__, map(format, count())) makes three objects per id, about a third of a
 * second of the worker's time per million; this makes the one string. (A bulk load's wall
 * time is set by the parent's inserts, so it gains there little; a dry run gains ~5%.)
 * A property test holds the two to the same ids.
 */
#include "_fastrows.h"

#define HEAD_MAX 64

typedef struct {
    PyObject_HEAD
    char head[HEAD_MAX];
    Py_ssize_t head_len;
    unsigned long long last; /* the counter of the last id made */
} Uids;

static PyObject *
uids_new(PyTypeObject *type, PyObject *args, PyObject *kwargs)
{
    PyObject *head, *start;
    static char *keywords[] = {"head", "start", NULL};
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "UO!:Uids", keywords, &head, &PyLong_Type,
                                     &start))
        return NULL;
    if (!PyUnicode_IS_ASCII(head) || PyUnicode_GET_LENGTH(head) > HEAD_MAX) {
        PyErr_Format(PyExc_ValueError, "head: ASCII, at most %d characters", HEAD_MAX);
        return NULL;
    }
    unsigned long long last = PyLong_AsUnsignedLongLong(start);
    if (last == (unsigned long long)-1 && PyErr_Occurred())
        return NULL;
    Uids *self = (Uids *)type->tp_alloc(type, 0);
    if (self == NULL)
        return NULL;
    self->head_len = PyUnicode_GET_LENGTH(head);
    memcpy(self->head, PyUnicode_1BYTE_DATA(head), (size_t)self->head_len);
    self->last = last;
    return (PyObject *)self;
}

static PyObject *
uids_next(Uids *self)
{
    if (self->last == ~0ULL) {
        PyErr_SetString(PyExc_OverflowError, "the id counter ran out");
        return NULL;
    }
    unsigned long long value = ++self->last;
    char digits[16]; /* filled from the end: at least 12, as "{:012x}" */
    int n = 0;
    do {
        digits[15 - n++] = "0123456789abcdef"[value & 0xF];
        value >>= 4;
    } while (value != 0);
    while (n < 12)
        digits[15 - n++] = '0';
    PyObject *id = PyUnicode_New(self->head_len + n, 127);
    if (id == NULL)
        return NULL;
    Py_UCS1 *out = PyUnicode_1BYTE_DATA(id);
    memcpy(out, self->head, (size_t)self->head_len);
    memcpy(out + self->head_len, digits + 16 - n, (size_t)n);
    return id;
}

PyTypeObject UidsType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "_epitool_fastrows.Uids",
    .tp_basicsize = sizeof(Uids),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = "Uids(head, start): head + '{:012x}'.format(start + n) for n = 1, 2, ...",
    .tp_iter = PyObject_SelfIter,
    .tp_iternext = (iternextfunc)uids_next,
    .tp_new = uids_new,
};
