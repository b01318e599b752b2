/*
 * multipart/related bodies (RFC 2387 on RFC 2046 5.1) as SBI uses them for binary data:
 * TS 29.500 6.1.2.2.2 and TS 29.502 6.1.6.4 / TS 29.518 6.1.6.4. The first part is the
 * JSON object (application/json); each binary part (application/vnd.3gpp.5gnas for N1,
 * application/vnd.3gpp.ngap for N2) carries a Content-ID that a RefToBinaryData
 * {contentId} of the JSON names (TS 29.571 5.4.4.x).
 *
 * The parser takes peer input: every length is bounded, nothing is copied, nothing is read
 * past the body; parts point into it.
 */
#ifndef SEN_SMF_MULTIPART_H
#define SEN_SMF_MULTIPART_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SMF_MP_MAX_PARTS   8
#define SMF_MP_MAX_HEADERS 8   /* header lines per part */
#define SMF_MP_MAX_HLINE   512 /* octets in one part header line */
#define SMF_MP_MAX_ID	   128 /* octets in a Content-ID */

#define SMF_MT_JSON "application/json"
#define SMF_MT_NAS  "application/vnd.3gpp.5gnas"
#define SMF_MT_NGAP "application/vnd.3gpp.ngap"

struct smf_mp_part {
	const char *type; /* the media type, lower-cased, parameters cut ("" if none) */
	char type_buf[64];
	char id[SMF_MP_MAX_ID + 1]; /* Content-ID without <> ("" if none) */
	const uint8_t *data;	    /* into the body */
	size_t len;
};

struct smf_mp {
	size_t n;
	struct smf_mp_part part[SMF_MP_MAX_PARTS];
};

/* True if the content-type value is multipart/related (any parameters). */
bool smf_mp_is_multipart(const char *content_type);

/*
 * Parse body[len] given the request's content-type value. Returns 0, or -SEN_EPROTO with a
 * short reason in *why (a static string: no boundary parameter, no closing delimiter, too
 * many parts, a header line too long …).
 */
int smf_mp_parse(const char *content_type, const uint8_t *body, size_t len, struct smf_mp *out,
		 const char **why);

/* The part whose Content-ID is `id` (with or without <>), or NULL. */
const struct smf_mp_part *smf_mp_find(const struct smf_mp *mp, const char *id);

/* One part to build. */
struct smf_mp_out {
	const char *type; /* media type */
	const char *id;	  /* Content-ID, or NULL for the JSON root part */
	const uint8_t *data;
	size_t len;
};

/*
 * Build a multipart/related body from parts[n] into a malloc'd buffer (*body, *len) and
 * the content-type value (with a boundary that occurs in no part) into ctype[cap].
 * Returns 0, -SEN_ENOMEM or -SEN_EINVAL.
 */
int smf_mp_build(const struct smf_mp_out *parts, size_t n, uint8_t **body, size_t *len, char *ctype,
		 size_t cap);

#endif
