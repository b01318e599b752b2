/* Test support: JSON vector loading (see vectors.h). */
#include "vectors.h"

#include "core/hex.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

char *sen_test_read_file(const char *path, size_t *len)
{
	char full[4096];
	const char *dir = getenv("SEN_TESTDATA");

	if (path[0] != '/' && dir)
		snprintf(full, sizeof(full), "%s/%s", dir, path);
	else
		snprintf(full, sizeof(full), "%s", path);
	FILE *f = fopen(full, "rb");
	if (!f) {
		fprintf(stderr, "# cannot open %s\n", full);
		return NULL;
	}
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	char *buf = n >= 0 ? malloc((size_t)n + 1) : NULL;
	if (!buf || fread(buf, 1, (size_t)n, f) != (size_t)n) {
		free(buf);
		fclose(f);
		return NULL;
	}
	fclose(f);
	buf[n] = '\0';
	if (len)
		*len = (size_t)n;
	return buf;
}

cJSON *sen_test_vectors(const char *name)
{
	char path[4096];
	const char *dir = getenv("SEN_VECTORS");

	snprintf(path, sizeof(path), "%s/%s", dir ? dir : "tests/vectors", name);
	char *text = sen_test_read_file(path, NULL);
	if (!text)
		return NULL;
	cJSON *j = cJSON_Parse(text);
	if (!j)
		fprintf(stderr, "# %s: JSON parse error\n", path);
	free(text);
	return j;
}

const char *sen_test_str(const cJSON *obj, const char *key)
{
	const cJSON *m = cJSON_GetObjectItemCaseSensitive(obj, key);
	return cJSON_IsString(m) ? m->valuestring : NULL;
}

int sen_test_hex(const cJSON *obj, const char *key, uint8_t *out, size_t cap)
{
	const char *s = sen_test_str(obj, key);
	if (!s)
		return -1;
	int n = sen_hex_decode(s, out, cap);
	return n < 0 ? -1 : n;
}
