/*
 * JSON Patch (RFC 6902) with JSON Pointer paths (RFC 6901) over cJSON: the body of every
 * SBI PATCH (TS 29.500 5.2.4, media type application/json-patch+json; TS 29.571 PatchItem
 * {op, path, from?, value?}). Used by sen-nrf (NFUpdate, TS 29.510 5.2.2.3) and sen-udr
 * (TS 29.505 ModifyAuthenticationSubscription, AmfContext3gpp). All six operations of
 * RFC 6902 clause 4 are supported.
 */
#ifndef SEN_SBI_JSON_PATCH_H
#define SEN_SBI_JSON_PATCH_H

#include <stddef.h>

#include <cjson/cJSON.h>

/*
 * Apply the PatchDocument `patch` (a JSON array of operations) to *doc, whole or not at all
 * (RFC 6902 5): the operations run on a copy, and *doc is replaced by the patched copy only
 * when every one succeeded; on failure *doc is untouched. An empty array is a valid patch
 * that changes nothing. `why` (may be NULL) gets one line saying what failed; it quotes
 * paths, never values.
 *
 * Returns 0, or
 *   -SEN_EPROTO  the patch is not a PatchDocument: not an array, an item that is not an
 *                object, without "op" or "path", an unknown op, add/replace/test without
 *                "value", move/copy without "from" (answer 400)
 *   -SEN_EINVAL  an operation cannot be applied: its path or from does not exist or is
 *                malformed (RFC 6901), an array index out of range, a move into its own
 *                child (RFC 6902 4.4), removing the whole document
 *   -SEN_EAGAIN  a "test" operation failed (RFC 6902 4.6; answer 409 Conflict)
 *   -SEN_ENOMEM  out of memory
 */
int sen_sbi_json_patch(cJSON **doc, const cJSON *patch, char *why, size_t whylen);

#endif
