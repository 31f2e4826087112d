/* The rows of a text table, numbered and without the blank ones: io/tables.py's _numbered,
 * for the module built from _fastrows.c.
 *
 * Why in C: the import loops in _fastrows.c take a million rows from this iterator, and it
 * ran in the worker process, then the slower side of an import. A row whose line has no
 * quote, no carriage return inside and no NUL is split here at its delimiters, which is what
 * the csv module makes of such a line, at a fraction of its cost; any other row is read by a
 * csv.reader over the same lines (see LineSource), so quoting and line breaks inside cells
 * keep the csv module's meaning. A property test holds the two to the same rows.
 */
#include "_fastrows.h"

/* The lines of a text file, with one line handed back: the csv.reader that reads the rows
 * this file cannot split reads from here, starting with the line handed back. */
typedef struct {
    PyObject_HEAD
    PyObject *lines;   /* iterator of str, each with its line ending */
    PyObject *pending; /* a line handed back, or NULL */
} LineSource;

static PyObject *
source_new(PyTypeObject *type, PyObject *args, PyObject *kwargs)
{
    PyObject *lines;
    static char *keywords[] = {"lines", NULL};
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "O:LineSource", keywords, &lines))
        return NULL;
    PyObject *iterator = PyObject_GetIter(lines);
    if (iterator == NULL)
        return NULL;
    LineSource *self = (LineSource *)type->tp_alloc(type, 0);
    if (self == NULL) {
        Py_DECREF(iterator);
        return NULL;
    }
    self->lines = iterator;
    self->pending = NULL;
    return (PyObject *)self;
}

static void
source_dealloc(LineSource *self)
{
    Py_XDECREF(self->lines);
    Py_XDECREF(self->pending);
    Py_TYPE(self)->tp_free((PyObject *)self);
}

static PyObject *
source_next(LineSource *self)
{
    if (self->pending != NULL) {
        PyObject *line = self->pending;
        self->pending = NULL;
        return line;
    }
    return PyIter_Next(self->lines);
}

PyTypeObject LineSourceType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "_epitool_fastrows.LineSource",
    .tp_basicsize = sizeof(LineSource),
    .tp_dealloc = (destructor)source_dealloc,
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = "LineSource(lines): the lines, for a csv.reader that numbered() falls back on.",
    .tp_iter = PyObject_SelfIter,
    .tp_iternext = (iternextfunc)source_next,
    .tp_new = source_new,
};

typedef struct {
    PyObject_HEAD
    LineSource *source;
    PyObject *reader;    /* csv.reader(source, ...): for the lines not split here */
    PyObject *delimiter; /* one character */
    PyObject *on_error;  /* on_error(exception, row number): raises what the user sees */
    Py_ssize_t longest;  /* csv.field_size_limit(): longer lines go to the reader */
    Py_ssize_t number;   /* rows read so far, blank ones included, as a spreadsheet counts */
} Numbered;

static PyObject *
numbered_new(PyTypeObject *type, PyObject *args, PyObject *kwargs)
{
    PyObject *source, *reader, *delimiter, *on_error;
    Py_ssize_t longest;
    static char *keywords[] = {"source", "reader", "delimiter", "longest", "on_error", NULL};
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "O!OUnO:numbered", keywords,
                                     &LineSourceType, &source, &reader, &delimiter, &longest,
                                     &on_error))
        return NULL;
    if (PyUnicode_GET_LENGTH(delimiter) != 1) {
        PyErr_SetString(PyExc_ValueError, "the delimiter is one character");
        return NULL;
    }
    Numbered *self = (Numbered *)type->tp_alloc(type, 0);
    if (self == NULL)
        return NULL;
    self->source = (LineSource *)Py_NewRef(source);
    self->reader = Py_NewRef(reader);
    self->delimiter = Py_NewRef(delimiter);
    self->on_error = Py_NewRef(on_error);
    self->longest = longest;
    self->number = 0;
    return (PyObject *)self;
}

static void
numbered_dealloc(Numbered *self)
{
    Py_XDECREF(self->source);
    Py_XDECREF(self->reader);
    Py_XDECREF(self->delimiter);
    Py_XDECREF(self->on_error);
    Py_TYPE(self)->tp_free((PyObject *)self);
}

/* Reading failed at row number + 1: on_error turns the exception into the one to raise;
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

/* The length of `line` without its line ending ("\n", "\r\n" or "\r"), when the rest has
 * nothing the csv module reads specially (a quote, a line break, NUL) and is no longer than
 * a field may be; else -1. */
static Py_ssize_t
plain_length(PyObject *line, Py_ssize_t longest)
{
    Py_ssize_t length = PyUnicode_GET_LENGTH(line);
    int kind = PyUnicode_KIND(line);
    const void *data = PyUnicode_DATA(line);
    if (length && PyUnicode_READ(kind, data, length - 1) == '\n')
        length--;
    if (length && PyUnicode_READ(kind, data, length - 1) == '\r')
        length--;
    if (length > longest)
        return -1;
    for (Py_ssize_t i = 0; i < length; i++) {
        Py_UCS4 ch = PyUnicode_READ(kind, data, i);
        if (ch == '"' || ch == '\r' || ch == '\n' || ch == '\0')
            return -1;
    }
    return length;
}

/* The cells of the next row: split here, or read by the csv.reader. */
static PyObject *
next_cells(Numbered *self)
{
    PyObject *line = source_next(self->source);
    if (line == NULL)
        return NULL;
    if (!PyUnicode_Check(line)) {
        Py_DECREF(line);
        PyErr_SetString(PyExc_TypeError, "numbered() reads lines of text");
        return NULL;
    }
    Py_ssize_t length = plain_length(line, self->longest);
    if (length < 0) {
        Py_XSETREF(self->source->pending, line); /* the reader starts with it */
        return PyIter_Next(self->reader);
    }
    if (length == 0) {
        Py_DECREF(line);
        return PyList_New(0); /* the csv module's empty row */
    }
    /* Split the line as it is, then take the ending off its last cell: one short copy
     * instead of a copy of the whole line. */
    Py_ssize_t ending = PyUnicode_GET_LENGTH(line) - length;
    PyObject *cells = PyUnicode_Split(line, self->delimiter, -1);
    Py_DECREF(line);
    if (cells == NULL || ending == 0)
        return cells;
    Py_ssize_t last = PyList_GET_SIZE(cells) - 1;
    PyObject *cell = PyList_GET_ITEM(cells, last);
    PyObject *trimmed = PyUnicode_Substring(cell, 0, PyUnicode_GET_LENGTH(cell) - ending);
    if (trimmed == NULL) {
        Py_DECREF(cells);
        return NULL;
    }
    PyList_SET_ITEM(cells, last, trimmed);
    Py_DECREF(cell);
    return cells;
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
        PyObject *cells = next_cells(self);
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
    .tp_doc = "numbered(source, reader, delimiter, longest, on_error): (row number, cells) "
              "for each row with any text.",
    .tp_iter = PyObject_SelfIter,
    .tp_iternext = (iternextfunc)numbered_next,
    .tp_new = numbered_new,
};
