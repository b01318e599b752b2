/*
 * Test support: load the JSON vector files in tests/vectors (directory from $SEN_VECTORS)
 * and read hex members from them.
 */
#ifndef SEN_TEST_VECTORS_H
#define SEN_TEST_VECTORS_H

#include <cjson/cJSON.h>
#include <stddef.h>
#include <stdint.h>

/* Parse $SEN_VECTORS/<name>. Returns NULL (and prints why) on failure. Free with cJSON_Delete. */
cJSON *sen_test_vectors(const char *name);

/* Read the whole file $SEN_TESTDATA/<name> (or an absolute path). NUL-terminated; free(). */
char *sen_test_read_file(const char *path, size_t *len);

/*
 * Decode the hex string member `key` of `obj` into out (cap bytes).
 * Returns the byte count, or -1 if missing / not a string / not hex / too long.
 */
int sen_test_hex(const cJSON *obj, const char *key, uint8_t *out, size_t cap);

/* The string member `key` of `obj`, or NULL. */
const char *sen_test_str(const cJSON *obj, const char *key);

#endif
