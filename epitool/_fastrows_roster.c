/* The roster import's hot loop: core/roster_fast.py's fill_batch, in C. See _fastrows.c. */
#include "_fastrows.h"

enum { R_NAME, R_SEX, R_ID, R_PHONE, R_HH, R_REL, R_GROUP, R_ADDR, R_WIDTH, R_COUNT };

/* roster(rows, limit, spec, sexes, birth, first_seen, uids, flat, is_normalized, nfkc,
 *        texts) -> (consumed, slow_row or None). Consumes up to `limit` rows; stops early
 * at a row for the reference check (returned, and counted as consumed) or at the end of
 * the rows. */
PyObject *
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
