/* The rows of a text table, numbered and without the blank ones: io/tables.py's _numbered,
 * for the module built from _fastrows.c.
 *
 * Why in C: the import loops in _fastrows.c take a million rows from this iterator. As a
 * Python generator (and a second one skipping blank rows) it cost about a microsecond a
 * row, a quarter of the worker process's time.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

typedef struct {
    PyObject_HEAD
    PyObject *reader;   /* csv.reader: a list of str per row */
    PyObject *on_error; /* on_error(exception, row number): raises what the user sees */
    Py_ssize_t number;  /* rows read so far, blank ones included, as a spreadsheet counts */
} Numbered;

static PyObject *
numbered_new(PyTypeObject *type, PyObject *args, PyObject *kwargs)
{
    PyObject *reader, *on_error;
    static char *keywords[] = {"reader", "on_error", NULL};
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "OO:numbered", keywords, &reader,
                                     &on_error))
        return NULL;
    PyObject *iterator = PyObject_GetIter(reader);
    if (iterator == NULL)
        return NULL;
    Numbered *self = (Numbered *)type->tp_alloc(type, 0);
    if (self == NULL) {
        Py_DECREF(iterator);
        return NULL;
    }
    self->reader = iterator;
    self->on_error = Py_NewRef(on_error);
    self->number = 0;
    return (PyObject *)self;
}

static void
numbered_dealloc(Numbered *self)
{
    Py_XDECREF(self->reader);
    Py_XDECREF(self->on_error);
    Py_TYPE(self)->tp_free((PyObject *)self);
}

/* The reader failed at row number + 1: on_error turns the exception into the one to raise;
 * should it return instead, the reader's own exception stands. */
static PyObject *
failed(Numbered *self)
{
    PyObject *type, *value, *traceback;
    PyErr_Fetch(&type, &value, &traceback);
    PyErr_NormalizeException(&type, &value, &traceback);
    if (traceback != NULL)
        PyException_SetTraceback(value, traceback);
    PyObject *result = PyObject_CallFunction(self->on_error, "On", value, self->number + 1);
    if (result == NULL) {
        Py_XDECREF(type);
        Py_XDECREF(value);
        Py_XDECREF(traceback);
        return NULL;
    }
    Py_DECREF(result);
    PyErr_Restore(type, value, traceback);
    return NULL;
}

/* Blank as Python's any(cells) says: no cell with any text. */
static int
is_blank(PyObject *cells)
{
    for (Py_ssize_t i = 0; i < PyList_GET_SIZE(cells); i++) {
        PyObject *cell = PyList_GET_ITEM(cells, i);
        if (!PyUnicode_Check(cell) || PyUnicode_GET_LENGTH(cell))
            return 0;
    }
    return 1;
}

static PyObject *
numbered_next(Numbered *self)
{
    for (;;) {
        PyObject *cells = PyIter_Next(self->reader);
        if (cells == NULL)
            return PyErr_Occurred() ? failed(self) : NULL;
        self->number++;
        if (!PyList_Check(cells)) {
            Py_DECREF(cells);
            PyErr_SetString(PyExc_TypeError, "numbered() reads rows that are lists");
            return NULL;
        }
        if (is_blank(cells)) {
            Py_DECREF(cells);
            continue;
        }
        PyObject *number = PyLong_FromSsize_t(self->number);
        PyObject *pair = number ? PyTuple_New(2) : NULL;
        if (pair == NULL) {
            Py_XDECREF(number);
            Py_DECREF(cells);
            return NULL;
        }
        PyTuple_SET_ITEM(pair, 0, number);
        PyTuple_SET_ITEM(pair, 1, cells);
        return pair;
    }
}

PyTypeObject NumberedType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "_epitool_fastrows.numbered",
    .tp_basicsize = sizeof(Numbered),
    .tp_dealloc = (destructor)numbered_dealloc,
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = "numbered(reader, on_error): (row number, cells) for each row with any text.",
    .tp_iter = PyObject_SelfIter,
    .tp_iternext = (iternextfunc)numbered_next,
    .tp_new = numbered_new,
};
