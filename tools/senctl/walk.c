/*
 * senctl: the HEX input, tree / JSON printer, hex output and subcommand dispatch shared by
 * the message decoders (nas.c, pfcp.c, ngap.c). See walk.h.
 */
#include "walk.h"

#include "core/hex.h"
#include "senctl.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int senctl_read_hex(const char *hex, size_t max, const char *cmd, const char *unit, int echo_max,
		    uint8_t **out, int *len)
{
	size_t n = strlen(hex) / 2 + 1;

	if (n > max)
		return senctl_bad("%s: %s longer than %zu octets", cmd, unit, max);
	*out = malloc(n);
	if (!*out)
		return SENCTL_EXIT_FAIL;
	*len = sen_hex_decode(hex, *out, n);
	if (*len < 0) {
		free(*out);
		return senctl_bad("%s: '%.*s' is not hex (an even number of hex digits expected)",
				  cmd, echo_max, hex);
	}
	if (*len == 0) {
		free(*out);
		return senctl_bad("%s: empty %s", cmd, unit);
	}
	return 0;
}

static void add_json(struct senctl_out *o, const char *name, cJSON *item)
{
	cJSON *top = o->stack[o->depth];

	if (cJSON_IsArray(top))
		cJSON_AddItemToArray(top, item);
	else
		cJSON_AddItemToObject(top, name ? name : "-", item);
}

void senctl_out_open(void *arg, const char *name, bool list)
{
	struct senctl_out *o = arg;

	if (!o->json) {
		printf("%*s%s\n", 2 * o->depth, "", name ? name : "-");
		o->depth++;
		return;
	}
	cJSON *n = list ? cJSON_CreateArray() : cJSON_CreateObject();
	if (!n || o->depth + 1 >= (int)(sizeof(o->stack) / sizeof(o->stack[0]))) {
		cJSON_Delete(n);
		o->oom = true;
		return;
	}
	add_json(o, name, n);
	o->stack[++o->depth] = n;
}

void senctl_out_open_object(void *arg, const char *name)
{
	senctl_out_open(arg, name, false);
}

void senctl_out_close(void *arg)
{
	struct senctl_out *o = arg;

	if (o->depth > 0)
		o->depth--;
}

void senctl_out_value(void *arg, const char *name, const char *text)
{
	struct senctl_out *o = arg;

	if (!o->json) {
		printf("%*s%s: %s\n", 2 * o->depth, "", name ? name : "-", text);
		return;
	}
	cJSON *s = cJSON_CreateString(text);
	if (!s)
		o->oom = true;
	else
		add_json(o, name, s);
}

int senctl_out_begin(struct senctl_out *o, bool json)
{
	*o = (struct senctl_out){.json = json};
	if (json && !(o->stack[0] = cJSON_CreateObject()))
		return SENCTL_EXIT_FAIL;
	return 0;
}

int senctl_out_json(cJSON *root, bool oom)
{
	char *text = oom ? NULL : cJSON_Print(root);

	cJSON_Delete(root);
	if (!text)
		return SENCTL_EXIT_FAIL;
	puts(text);
	free(text);
	return senctl_flush_stdout();
}

int senctl_put_hex(const uint8_t *p, size_t n)
{
	char *x = malloc(2 * n + 1);

	if (!x)
		return SENCTL_EXIT_FAIL;
	puts(sen_hex_encode(p, n, x));
	free(x);
	/* Flushed here, so that a roundtrip's verdict never follows an unwritten result. */
	return senctl_flush_stdout();
}

size_t senctl_same_prefix(const uint8_t *a, size_t an, const uint8_t *b, size_t bn)
{
	size_t i = 0;

	while (i < an && i < bn && a[i] == b[i])
		i++;
	return i;
}

int senctl_codec_main(int argc, char **argv, const char *cmd, const char *what,
		      int (*decode)(const char *hex, bool json), int (*roundtrip)(const char *hex))
{
	struct senctl_opt opts[] = {FLAG("json"), OPT_END};
	const char *hex = NULL;

	if (argc < 1)
		return senctl_bad("%s: usage: senctl %s decode HEX [--json] | roundtrip HEX", cmd,
				  cmd);
	const char *sub = argv[0];
	if (!strcmp(sub, "decode")) {
		if (senctl_parse_args(argc - 1, argv + 1, opts, &hex, 1, what))
			return SENCTL_EXIT_USAGE;
		int rc = decode(hex, senctl_opt(opts, "json") != NULL);
		/* A failure keeps its status; success is success only once it is written. */
		return rc != SENCTL_EXIT_OK ? rc : senctl_flush_stdout();
	}
	if (!strcmp(sub, "roundtrip")) {
		opts[0] = (struct senctl_opt)OPT_END;
		if (senctl_parse_args(argc - 1, argv + 1, opts, &hex, 1, what))
			return SENCTL_EXIT_USAGE;
		int rc = roundtrip(hex);
		return rc != SENCTL_EXIT_OK ? rc : senctl_flush_stdout();
	}
	return senctl_bad("%s: unknown subcommand '%s' (decode, roundtrip)", cmd, sub);
}
