/* What the files of the _epitool_fastrows module share; see _fastrows.c. */
#ifndef EPITOOL_FASTROWS_H
#define EPITOOL_FASTROWS_H

#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <string.h>

/* At most this many distinct texts are kept by shared() */
#define SHARED_TEXTS 4096

/* Row helpers (_fastrows.c) */
PyObject *cased(PyObject *text, int lower);
PyObject *cell_at(PyObject *cells, Py_ssize_t at, PyObject *empty);
int id_checks(PyObject *idn, const long birth[2], long long *body, int *check);
int mobile_ok(PyObject *phone);
PyObject *or_none(PyObject *text);
PyObject *shared(PyObject *texts, PyObject *text);
PyObject *as_before(PyObject **last, PyObject *text);
int append_stolen(PyObject *flat, PyObject **values, int n);
int read_indexes(PyObject *spec, Py_ssize_t *out, Py_ssize_t count);
int next_clean_row(PyObject *rows, Py_ssize_t width, PyObject *is_norm, PyObject *nfkc,
                   PyObject **row, PyObject **number, PyObject **cells, int *fast);

/* The module's functions and types, each in its own file */
PyObject *roster(PyObject *self, PyObject *args);      /* _fastrows_roster.c */
PyObject *checkpoints(PyObject *self, PyObject *args); /* _fastrows_checkpoints.c */
PyObject *key(PyObject *self, PyObject *arg);          /* _fastrows_checkpoints.c */
PyObject *households(PyObject *self, PyObject *args);  /* _households.c */
extern PyTypeObject NumberedType, LineSourceType;     /* _numbered.c */
extern PyTypeObject UidsType;                         /* _uids.c */

#endif
