/* core/roster_households.py's HouseholdTracker.collect, for the module built from
 * _fastrows.c.
 *
 * Why in C: it looks at every row of a million-row roster in the worker process, which was
 * then the slower of the import's two processes; in Python the loop took about 0.7 s.
 * A property test holds it to the Python loop.
 */
#include "_fastrows.h"

/* Where each field is in a resident row: uid, then roster_rows.Resident's fields */
enum { NAME = 1, HOUSEHOLD = 5, RELATION = 6, GROUP = 7, ADDRESS = 8, WIDTH = 9 };

static int
append(PyObject *list, PyObject *value)
{
    return value == NULL ? -1 : PyList_Append(list, value);
}

/* A household first seen: uid, household_no, group, address, head (None until known). */
static int
add_household(PyObject *found, PyObject *placed, PyObject *row_start[], PyObject *uids,
              PyObject *head)
{
    PyObject *at = PyLong_FromSsize_t(PyList_GET_SIZE(found));
    if (at == NULL || PyDict_SetItem(placed, row_start[HOUSEHOLD], at) < 0) {
        Py_XDECREF(at);
        return -1;
    }
    Py_DECREF(at);
    PyObject *uid = PyIter_Next(uids);
    if (uid == NULL) {
        if (!PyErr_Occurred())
            PyErr_SetString(PyExc_RuntimeError, "the household uids ran out");
        return -1;
    }
    int failed = append(found, uid);
    Py_DECREF(uid);
    if (failed || append(found, row_start[HOUSEHOLD]) || append(found, row_start[GROUP])
        || append(found, row_start[ADDRESS]) || append(found, head))
        return -1;
    return 0;
}

/* households(residents, head_known, uids, heads) -> (households, late_heads) */
PyObject *
households(PyObject *self, PyObject *args)
{
    PyObject *residents, *known, *uids, *heads;
    if (!PyArg_ParseTuple(args, "O!O!OO:households", &PyList_Type, &residents, &PyDict_Type,
                          &known, &uids, &heads))
        return NULL;
    Py_ssize_t size = PyList_GET_SIZE(residents);
    if (size % WIDTH) {
        PyErr_SetString(PyExc_ValueError, "residents do not make whole rows");
        return NULL;
    }
    PyObject *found = PyList_New(0), *late = PyList_New(0), *placed = PyDict_New();
    if (found == NULL || late == NULL || placed == NULL)
        goto error;
    PyObject *settled = NULL; /* the last household seen with its head: members come together */
    for (Py_ssize_t start = 0; start < size; start += WIDTH) {
        PyObject **row = PySequence_Fast_ITEMS(residents) + start;
        PyObject *household = row[HOUSEHOLD];
        if (household == Py_None || household == settled)
            continue;
        PyObject *state = PyDict_GetItemWithError(known, household); /* borrowed */
        if (state == NULL && PyErr_Occurred())
            goto error;
        if (state == Py_True) {
            settled = household; /* most rows: a household already seen, with its head */
            continue;
        }
        int is_head = PySet_Contains(heads, row[RELATION]);
        if (is_head < 0)
            goto error;
        if (state == NULL) {
            if (add_household(found, placed, row, uids, is_head ? row[NAME] : Py_None) < 0)
                goto error;
        }
        else if (is_head) {
            PyObject *at = PyDict_GetItemWithError(placed, household);
            if (at != NULL) {
                Py_ssize_t index = PyLong_AsSsize_t(at) + 4;
                if (PyList_SetItem(found, index, Py_NewRef(row[NAME])) < 0)
                    goto error;
            }
            else if (PyErr_Occurred() || append(late, household) || append(late, row[NAME]))
                goto error;
        }
        if ((state == NULL || is_head)
            && PyDict_SetItem(known, household, is_head ? Py_True : Py_False) < 0)
            goto error;
        if (is_head)
            settled = household;
    }
    Py_DECREF(placed);
    return Py_BuildValue("NN", found, late);
error:
    Py_XDECREF(found);
    Py_XDECREF(late);
    Py_XDECREF(placed);
    return NULL;
}
