/* The checkpoint import's hot loop (core/checkpoint_rows.py's fill_batch) and the key that
 * tells its registrations apart, in C. See _fastrows.c. */
#include "_fastrows.h"

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
PyObject *
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

enum { C_POINT, C_NAME, C_ID, C_PHONE, C_PLATE, C_FROM, C_TO, C_DATE, C_TEMP, C_BACK, C_REASON,
       C_DIR, C_WIDTH, C_COUNT };

/* checkpoints(rows, limit, spec, points, default, moments, temps, directions, no, yes,
 *             dates, seen, plate_match, threshold, uids, flat, is_normalized, nfkc, texts)
 * -> (consumed, plate_warnings, fevers, slow_row or None). Like roster() above. */
PyObject *
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
