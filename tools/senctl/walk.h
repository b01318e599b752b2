/*
 * What `senctl nas|pfcp|ngap` share: reading the HEX argument, printing a decoder's walk
 * (lib/nas, lib/pfcp, lib/ngap visitors) as an indented tree or as JSON, the roundtrip's
 * hex output, and the "decode HEX [--json] | roundtrip HEX" subcommand dispatch.
 */
#ifndef SEN_SENCTL_WALK_H
#define SEN_SENCTL_WALK_H

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Decode the hex string `hex` (at most max octets) into *out (malloc'd, the caller frees it
 * when 0 is returned) of *len > 0 octets. On bad input, one line through senctl_bad:
 * "<cmd>: <unit> longer than <max> octets", "<cmd>: '<hex>' is not hex (...)" (hex cut to
 * echo_max characters) or "<cmd>: empty <unit>". Returns 0, SENCTL_EXIT_USAGE or
 * SENCTL_EXIT_FAIL.
 */
int senctl_read_hex(const char *hex, size_t max, const char *cmd, const char *unit, int echo_max,
		    uint8_t **out, int *len);

/*
 * A walk's printer, the `arg` of the visitor callbacks below. Tree: "name" opens a level
 * (indented by two spaces), "name: value" a value. JSON: each level an object (or an array
 * when opened as a list) in its parent; stack[0] is the root the caller supplies.
 */
struct senctl_out {
	bool json;
	int depth;
	cJSON *stack[64]; /* JSON: stack[depth] is the node being filled */
	bool oom;	  /* JSON: an allocation failed or the tree was too deep */
};

void senctl_out_open(void *arg, const char *name, bool list); /* lib/ngap's open */
void senctl_out_open_object(void *arg, const char *name);     /* lib/nas's, lib/pfcp's open */
void senctl_out_close(void *arg);
void senctl_out_value(void *arg, const char *name, const char *text);

/*
 * Start printing: for JSON, a new root object in stack[0]. Returns 0 or SENCTL_EXIT_FAIL
 * (out of memory).
 */
int senctl_out_begin(struct senctl_out *o, bool json);

/*
 * Print the JSON document root (pretty) and free it, unless oom, and flush stdout. Returns
 * SENCTL_EXIT_OK, or SENCTL_EXIT_FAIL when oom, out of memory or the output cannot be
 * written (one line on stderr: senctl_flush_stdout).
 */
int senctl_out_json(cJSON *root, bool oom);

/*
 * Print p[0..n) as one line of hex and flush stdout. Returns 0, or SENCTL_EXIT_FAIL when out
 * of memory or the output cannot be written (one line on stderr: senctl_flush_stdout).
 */
int senctl_put_hex(const uint8_t *p, size_t n);

/* The number of leading octets a[] and b[] have in common. */
size_t senctl_same_prefix(const uint8_t *a, size_t an, const uint8_t *b, size_t bn);

/*
 * `senctl <cmd> decode HEX [--json] | roundtrip HEX`: argv[0] is the subcommand; what names
 * the HEX argument in messages (e.g. "HEX (the NAS message)"). When decode / roundtrip
 * succeed, stdout is flushed and a write error turns the exit status into SENCTL_EXIT_FAIL.
 */
int senctl_codec_main(int argc, char **argv, const char *cmd, const char *what,
		      int (*decode)(const char *hex, bool json), int (*roundtrip)(const char *hex));

#endif
